"""Demonstration content: the page tree in Chinese with its English translation,
sample documents and supervision records. ``build`` in ``builder`` is the entry
point; ``manage.py load_demo_content`` is its command-line shell."""
