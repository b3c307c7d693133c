from .documents import SiteDocument

__all__ = ["SiteDocument"]
