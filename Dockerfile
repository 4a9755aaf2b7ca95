# Production image: gunicorn serving Django; the same image runs the Celery worker and beat.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings.production
RUN useradd --create-home --uid 1000 heartwood
WORKDIR /app
# Pango and a font for WeasyPrint (PDF certificates).
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
# The base dependencies only: the embedded PostgreSQL and Redis of the `dev` extra are never in the image.
RUN pip install --no-cache-dir .
COPY . .
RUN DJANGO_SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379 \
    python manage.py collectstatic --noinput
USER heartwood
EXPOSE 8000
# The start-up checks first (config.checks: what is missing, by name), then gunicorn. No gunicorn access log: its
# lines carry query strings; config.request_logging writes one JSON line per request instead.
CMD ["sh", "-c", "python manage.py check --deploy --fail-level ERROR && exec gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers 3"]
