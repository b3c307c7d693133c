"""The site's WSGI application as benchmarks/lighthouse.py serves it: Django, with
uploaded media served the way nginx serves them in production (site/nginx.conf:
``/media/`` from MEDIA_ROOT, cached for seven days). Static files are whitenoise's,
as in production.

    gunicorn -c site/gunicorn.conf.py --pythonpath benchmarks/lighthouse wsgi:application
"""

from whitenoise import WhiteNoise

from django.conf import settings

from config.wsgi import application as django_application

MEDIA_MAX_AGE = 7 * 24 * 60 * 60

# autorefresh: Wagtail writes an image's renditions when a page first asks for them.
application = WhiteNoise(django_application, autorefresh=True, max_age=MEDIA_MAX_AGE)
application.add_files(str(settings.MEDIA_ROOT), prefix=settings.MEDIA_URL)
