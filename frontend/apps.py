import mimetypes

from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = "Front end"

    def ready(self):
        # Python 3.11 does not know .wasm; browsers compile the QR decoder as it
        # streams in only when it is served as application/wasm (WhiteNoise and
        # nginx know the type already; this is for runserver and the test server).
        mimetypes.add_type("application/wasm", ".wasm")
