from django.utils import translation


class BilingualNameMixin:
    """Models that keep a Chinese and an English name read the one for the
    reader's language, falling back to Chinese, the registered name."""

    @property
    def name(self):
        if translation.get_language() == "en" and self.name_en:
            return self.name_en
        return self.name_zh
