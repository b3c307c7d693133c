from .accounts import ApiToken, BodyStaff, ImportRun
from .certificates import Certificate, Status, StatusChange, TraceCode
from .organisations import Organisation, Region
from .reference import CertificationBody, ProductCategory, ProductGroup
from .reports import ConcernReport
from .supervision import BlacklistEntry, SpotCheck

__all__ = [
    "ApiToken",
    "BodyStaff",
    "ImportRun",
    "BlacklistEntry",
    "Certificate",
    "CertificationBody",
    "ConcernReport",
    "Organisation",
    "ProductCategory",
    "ProductGroup",
    "Region",
    "SpotCheck",
    "Status",
    "StatusChange",
    "TraceCode",
]
