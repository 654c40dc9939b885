"""How content and measured data become pages: MkDocs hooks (hooks/), the helpers they use, and the
site's own CSS and JavaScript (assets/). Nothing here runs an experiment; it reads the manifest that
``python -m gen`` renders."""
