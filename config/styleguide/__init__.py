"""The living style page of `make run`: every component of Heartwood's visual language with its markup, at /style/
on the public site. Only development settings turn it on (DEBUG and STYLE_PAGE); production has no such URL."""
