"""Rendering: result data -> SVG figures (light and dark), Markdown tables and formatted values.

Nothing here imports torch, so the site can be rendered from committed GPU data on any machine.
"""
