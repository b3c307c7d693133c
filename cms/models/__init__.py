from .adoption import AdoptionIndexPage, ArticlePage
from .documents import SiteDocument
from .exchange import NewsCategory, NewsIndexPage, NewsPage
from .home import HomePage
from .information import (
    CertificationBodyDirectoryPage,
    CertificationResultsPage,
    InformationIndexPage,
    MarkPage,
    ProductCatalogPage,
)
from .policy import PolicyIndexPage, PolicyPage, PolicyStatus
from .standards import (
    ImplementationRuleIndexPage,
    ImplementationRulePage,
    RecordStatus,
    StandardIndexPage,
    StandardPage,
)
from .supervision import BlacklistPage, SpotCheckIndexPage, SpotCheckNoticePage, SupervisionIndexPage

__all__ = [
    "AdoptionIndexPage",
    "ArticlePage",
    "BlacklistPage",
    "CertificationBodyDirectoryPage",
    "CertificationResultsPage",
    "HomePage",
    "ImplementationRuleIndexPage",
    "ImplementationRulePage",
    "InformationIndexPage",
    "MarkPage",
    "NewsCategory",
    "NewsIndexPage",
    "NewsPage",
    "PolicyIndexPage",
    "PolicyPage",
    "PolicyStatus",
    "ProductCatalogPage",
    "RecordStatus",
    "SiteDocument",
    "SpotCheckIndexPage",
    "SpotCheckNoticePage",
    "StandardIndexPage",
    "StandardPage",
    "SupervisionIndexPage",
]
