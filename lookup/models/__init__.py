from .reference import CertificationBody, ProductCategory, ProductGroup

__all__ = ["CertificationBody", "ProductCategory", "ProductGroup"]
