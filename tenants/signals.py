"""Keep each process's host -> organisation map honest when domains or organisations change."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Domain, Organisation
from .routing import forget_hosts


@receiver([post_save, post_delete], sender=Domain)
@receiver([post_save, post_delete], sender=Organisation)
def _forget_cached_hosts(**kwargs: object) -> None:
    forget_hosts()
