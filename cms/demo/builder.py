"""Builds the demonstration site: the Chinese page tree, its English translation
through wagtail-localize, sample documents, spot checks and blacklist entries.

Running it again changes nothing: pages are found by slug under their parent,
documents by title and records by their natural keys, and nothing that exists is
overwritten, so an editor's changes survive.
"""

import csv
import html
import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from io import BytesIO
from pathlib import Path

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import transaction
from django.utils.html import escape

from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import Translation, TranslationSource

from cms import models as cms
from cms.demo import content
from cms.demo.files import mark_png, minimal_pdf
from lookup.importer import import_file
from lookup.models import BlacklistEntry, Certificate, ImportRun, ProductCategory, SpotCheck
from search.chinese import HAN

DEMO_CERTIFICATES = 3000
SAMPLE_CERTIFICATES = Path(__file__).resolve().parent / "data" / "sample-certificates.csv"
TOOL_NAME = "load_demo_content"


@contextmanager
def quiet_loggers(*names):
    """Hold back the INFO lines Wagtail and the task queue log for every page saved."""
    loggers = [logging.getLogger(name) for name in names]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class MissingEnglishText(Exception):
    """A Chinese string of the demo has no English counterpart in ``content``."""


class DemoContentError(Exception):
    """Part of the demo content could not be built."""


@dataclass
class Report:
    pages_created: int = 0
    translations_created: int = 0
    documents_created: int = 0
    spot_checks_created: int = 0
    blacklist_entries_created: int = 0
    notes: list = field(default_factory=list)


class DemoBuilder:
    def __init__(self, certificates=True, stdout=None):
        self.certificates = certificates
        self.stdout = stdout
        self.english = {"home": "home-en"}
        self.pages = []
        self.report = Report()
        self.site_defaults = None

    def build(self):
        with quiet_loggers("wagtail", "django_tasks"), transaction.atomic():
            self.zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
            self.en = Locale.objects.get_or_create(language_code="en")[0]
            home = self.build_tree()
            for page in self.pages:
                self.translate(page)
            self.set_site_root(home)
            self.build_spot_checks()
            self.build_blacklist()
        if self.certificates:
            self.build_certificates()
        return self.report

    # Text

    def text(self, pair):
        """Remember the English of ``pair`` and return its Chinese."""
        if pair.zh in self.english and self.english[pair.zh] != pair.en:
            raise MissingEnglishText(f"Two English texts for {pair.zh!r}")
        self.english[pair.zh] = pair.en
        return pair.zh

    def english_for(self, chinese):
        for candidate in (chinese, html.unescape(chinese)):
            if candidate in self.english:
                return self.english[candidate]
        if not HAN.search(chinese):
            return chinese
        raise MissingEnglishText(f"No English text for {chinese!r}")

    def stream(self, items):
        """StreamField JSON for a list of ``(block type, value)`` pairs."""
        blocks = []
        for kind, value in items:
            if kind == "heading":
                blocks.append({"type": "heading", "value": {"text": self.text(value), "level": "h2"}})
            elif kind == "paragraph":
                blocks.append({"type": "paragraph", "value": f"<p>{escape(self.text(value))}</p>"})
            elif kind == "notice":
                blocks.append({"type": "notice", "value": {"text": self.text(value)}})
            elif kind == "attachment":
                title, document = value
                blocks.append({"type": "attachment", "value": {"title": self.text(title), "document": document.pk}})
            else:
                raise ValueError(f"Unknown demo block type {kind!r}")
        return json.dumps(blocks, ensure_ascii=False)

    # Pages

    def page(self, parent, model, spec, **fields):
        """The child of ``parent`` with the spec's slug, created as a published page
        if it does not exist yet."""
        existing = parent.get_children().filter(slug=spec["slug"]).first()
        if existing is not None:
            page = existing.specific
            self.pages.append(page)
            return page, False
        values = {"slug": spec["slug"], "title": self.text(spec["title"])}
        if spec.get("intro"):
            values["intro"] = self.text(spec["intro"])
        if spec.get("body"):
            values["body"] = self.stream(spec["body"])
        many_to_many = {name: fields.pop(name) for name in ("product_categories",) if name in fields}
        values.update(fields)
        page = model(**values)
        for name, objects in many_to_many.items():
            getattr(page, name).set(objects)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.pages.append(page)
        self.report.pages_created += 1
        return page, True

    def build_tree(self):
        root = Page.get_first_root_node()
        self.remove_stock_welcome_page(root)
        home, _ = self.page(
            root,
            cms.HomePage,
            content.HOME,
            hero_title=self.text(content.HOME["hero_title"]),
            hero_text=self.text(content.HOME["hero_text"]),
            lookup_prompt=self.text(content.HOME["lookup_prompt"]),
        )
        self.build_policy(home)
        self.build_adoption(home)
        self.build_information(home)
        self.build_supervision(home)
        self.build_exchange(home)
        return home

    def remove_stock_welcome_page(self, root):
        """Wagtail's first migration makes a plain "Welcome" page at the top of the
        tree; it is replaced by the home page, but only while it is untouched."""
        plain_page = ContentType.objects.get_for_model(Page)
        stock = root.get_children().filter(content_type=plain_page, slug="home", numchild=0).first()
        if stock is None:
            return
        site = Site.objects.filter(root_page=stock).first()
        self.site_defaults = (site.hostname, site.port, site.site_name) if site else None
        stock.delete()

    def build_policy(self, home):
        section, _ = self.page(home, cms.PolicyIndexPage, content.POLICY_SECTION)
        for spec in content.POLICIES:
            attachments = []
            if spec["attachment"]:
                document = self.document(spec["attachment"], spec["slug"], spec["document_number"])
                attachments = [("attachment", (spec["attachment"], document))]
            self.page(
                section,
                cms.PolicyPage,
                spec,
                document_number=spec["document_number"],
                issuing_authority=self.text(spec["issuing_authority"]),
                issued_on=spec["issued_on"],
                effective_on=spec["effective_on"],
                status=spec["status"],
                attachments=self.stream(attachments),
            )

    def build_adoption(self, home):
        section, _ = self.page(home, cms.AdoptionIndexPage, content.ADOPTION_SECTION)
        self.build_standards(section)
        self.build_rules(section)
        for spec in content.ADOPTION_ARTICLES:
            self.article(section, spec)

    def build_standards(self, section):
        index, _ = self.page(section, cms.StandardIndexPage, content.STANDARD_INDEX)
        general = content.GENERAL_STANDARD
        self.standard(index, general["number"], {**general, **content.GENERAL_STANDARD_TEXTS}, [])
        categories = ProductCategory.objects.exclude(standard="").order_by("standard")
        for category in categories:
            texts = content.standard_texts(category)
            spec = {
                "slug": category.standard.lower().replace("/", "-").replace(" ", "-"),
                "issued_on": date(2017, 12, 8) if category.standard.endswith("2017") else None,
                "effective_on": None,
                **texts,
            }
            self.standard(index, category.standard, spec, [category])

    def standard(self, index, number, spec, categories):
        year = int(number.rsplit("-", 1)[-1])
        issued_on = spec.get("issued_on") or date(year, 10, 18)
        effective_on = spec.get("effective_on") or date(year + 1, 5, 1)
        document = self.document(spec["title"], spec["slug"], number)
        self.page(
            index,
            cms.StandardPage,
            spec,
            number=number,
            status=cms.RecordStatus.CURRENT,
            issued_on=issued_on,
            effective_on=effective_on,
            document=document,
            product_categories=categories,
        )

    def build_rules(self, section):
        index, _ = self.page(section, cms.ImplementationRuleIndexPage, content.RULE_INDEX)
        created_rules = {}
        for rule in content.RULES:
            spec = {**rule, **content.rule_texts(rule)}
            page, created = self.page(
                index,
                cms.ImplementationRulePage,
                spec,
                rule_code=rule["rule_code"],
                status=rule["status"],
                issued_on=rule["issued_on"],
                effective_on=rule["effective_on"],
                document=self.document(rule["title"], rule["slug"], rule["rule_code"]),
                product_categories=list(ProductCategory.objects.filter(code__in=rule["categories"])),
            )
            if created:
                created_rules[rule["slug"]] = rule
        for slug, rule in created_rules.items():
            if rule.get("superseded_by"):
                page = cms.ImplementationRulePage.objects.child_of(index).get(slug=slug)
                page.superseded_by = index.get_children().get(slug=rule["superseded_by"])
                page.save_revision().publish()

    def article(self, parent, spec):
        attachments = []
        if spec.get("attachment"):
            attachments = [("attachment", (spec["attachment"], self.document(spec["attachment"], spec["slug"])))]
        return self.page(parent, cms.ArticlePage, spec, attachments=self.stream(attachments))

    def build_information(self, home):
        section, _ = self.page(home, cms.InformationIndexPage, content.INFORMATION_SECTION)
        mark = content.MARK
        self.page(
            section, cms.MarkPage, mark, image=self.mark_image(mark), usage_rules=self.stream(mark["usage_rules"])
        )
        self.page(section, cms.ProductCatalogPage, content.CATALOG)
        self.page(section, cms.CertificationBodyDirectoryPage, content.BODY_DIRECTORY)
        self.page(section, cms.CertificationResultsPage, content.RESULTS)

    def build_supervision(self, home):
        section, _ = self.page(home, cms.SupervisionIndexPage, content.SUPERVISION_SECTION)
        index, _ = self.page(section, cms.SpotCheckIndexPage, content.SPOT_CHECK_INDEX)
        for spec in content.SPOT_CHECK_NOTICES:
            attachments = []
            if spec["attachment"]:
                attachments = [("attachment", (spec["attachment"], self.document(spec["attachment"], spec["slug"])))]
            self.page(index, cms.SpotCheckNoticePage, spec, date=spec["date"], attachments=self.stream(attachments))
        self.page(section, cms.BlacklistPage, content.BLACKLIST)

    def build_exchange(self, home):
        index, _ = self.page(home, cms.NewsIndexPage, content.NEWS_INDEX)
        for spec in content.NEWS:
            self.page(index, cms.NewsPage, spec, date=spec["date"], category=spec["category"])

    # Translation

    def translate(self, page):
        """Create the English translation of ``page`` through wagtail-localize: the
        English strings go into its translation memory, as a PO upload would put
        them, and the translated page is published from there."""
        if page.has_translation(self.en):
            return
        page = page.specific_class.objects.get(pk=page.pk)
        source, _ = TranslationSource.get_or_create_from_instance(page)
        translation, _ = Translation.objects.get_or_create(source=source, target_locale=self.en)
        po = translation.export_po()
        for entry in po:
            entry.msgstr = self.english_for(entry.msgid)
        translation.import_po(po, tool_name=TOOL_NAME)
        # save_target(publish=True) defers publishing to the end of the transaction,
        # from a page object that by then has a stale count of children; publish the
        # saved revision here instead, read fresh from the database.
        translation.save_target(publish=False)
        page.get_translation(self.en).get_latest_revision().publish()
        self.report.translations_created += 1

    # Files

    def document(self, title, file_name, reference=""):
        """The demo PDF titled ``title`` (its Chinese, after ``reference``, a document
        number or code), made the first time."""
        name = f"{reference} {title.zh}".strip()
        document = cms.SiteDocument.objects.filter(title=name).first()
        if document is not None:
            return document
        pdf = minimal_pdf(
            [reference, title.en, "", "Demonstration copy of the China Green Product Certification site."]
        )
        document = cms.SiteDocument(title=name, description=f"{reference} {title.en}".strip())
        document.file.save(f"{file_name}.pdf", ContentFile(pdf), save=False)
        document.save()
        self.report.documents_created += 1
        return document

    def mark_image(self, spec):
        image_model = get_image_model()
        image = image_model.objects.filter(title=spec["image_title"]).first()
        if image is None:
            image = image_model(
                title=spec["image_title"], file=ImageFile(BytesIO(mark_png()), name="green-product-mark.png")
            )
            image.save()
        return image

    # Site and records

    def set_site_root(self, home):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            hostname, port, name = self.site_defaults or ("localhost", 80, "")
            Site.objects.create(hostname=hostname, port=port, site_name=name, root_page=home, is_default_site=True)
        elif site.root_page_id != home.pk:
            site.root_page = home
            site.save()

    def build_spot_checks(self):
        categories = {category.code: category for category in ProductCategory.objects.all()}
        for year, task in content.SPOT_CHECK_TASKS:
            for position, (code, organisation, product, region) in enumerate(content.SPOT_CHECK_SAMPLES):
                failed = (position + year) % 4 == 0
                findings = content.SPOT_CHECK_FINDINGS.get(code, "抽查项目不符合认证实施规则要求") if failed else ""
                _, created = SpotCheck.objects.get_or_create(
                    year=year,
                    task_name=task,
                    organisation_name=organisation,
                    product=product,
                    defaults={
                        "region_code": region,
                        "category": categories.get(code),
                        "result": SpotCheck.Result.FAIL if failed else SpotCheck.Result.PASS,
                        "findings": findings,
                        "published_on": date(year, 12, 15),
                    },
                )
                self.report.spot_checks_created += created

    def build_blacklist(self):
        for party, reason, decided_on, listed_until in content.BLACKLIST_ENTRIES:
            _, created = BlacklistEntry.objects.get_or_create(
                party_name=party,
                decided_on=decided_on,
                defaults={"reason": reason, "decided_by": content.BLACKLIST_DECIDED_BY, "listed_until": listed_until},
            )
            self.report.blacklist_entries_created += created

    def build_certificates(self):
        """The specification's sample certificates (numbers a visitor can try), then
        synthetic ones up to DEMO_CERTIFICATES, then a lookup index over all of them."""
        run = import_file(SAMPLE_CERTIFICATES, name=SAMPLE_CERTIFICATES.name)
        if run.outcome != ImportRun.Outcome.IMPORTED:
            raise DemoContentError(f"The sample certificates did not import: {run.errors[:3]}")
        self.report.notes.append(
            f"Sample certificates: {run.rows_created} created, {run.rows_updated} updated, "
            f"{run.rows_unchanged} unchanged."
        )
        existing = Certificate.objects.count()
        if existing >= DEMO_CERTIFICATES:
            return
        call_command(
            "generate_certificates",
            "--count",
            str(DEMO_CERTIFICATES - existing),
            "--trace-codes",
            "2",
            "--seed",
            "1",
            stdout=self.stdout,
        )
        self.report.notes.append(f"Generated {DEMO_CERTIFICATES - existing} certificates.")
        self.build_supervision_of_certified_companies()
        # Generated rows are bulk-inserted without save signals: index them all.
        call_command("rebuild_lookup_index", stdout=self.stdout)

    def build_supervision_of_certified_companies(self):
        """A failed spot check and a blacklist entry that name holders of generated
        certificates, so the warnings on certificates show in the demo. The
        specification's sample certificates stay unflagged."""
        sample_clients = Certificate.objects.filter(number__in=self.sample_numbers()).values("client")
        holders = (
            Certificate.objects.exclude(client__in=sample_clients)
            .select_related("client", "category")
            .order_by("number")
        )
        picked = {}
        for certificate in holders.iterator():
            picked.setdefault(certificate.client_id, certificate)
            if len(picked) == 2:
                break
        if len(picked) < 2:
            return
        sampled, listed = picked.values()
        year, task = content.SPOT_CHECK_TASKS[-1]
        _, created = SpotCheck.objects.get_or_create(
            year=year,
            task_name=task,
            organisation=sampled.client,
            defaults={
                "organisation_name": sampled.client.name,
                "product": sampled.product_name,
                "region_code": sampled.client.region_code,
                "category": sampled.category,
                "result": SpotCheck.Result.FAIL,
                "findings": content.SPOT_CHECK_FINDINGS.get(sampled.category.code, "抽查项目不符合认证实施规则要求"),
                "published_on": date(year, 12, 15),
            },
        )
        self.report.spot_checks_created += created
        reason, decided_on, listed_until = content.CERTIFIED_COMPANY_BLACKLISTING
        _, created = BlacklistEntry.objects.get_or_create(
            organisation=listed.client,
            decided_on=decided_on,
            defaults={
                "party_name": listed.client.name,
                "reason": reason,
                "decided_by": content.BLACKLIST_DECIDED_BY,
                "listed_until": listed_until,
            },
        )
        self.report.blacklist_entries_created += created

    @staticmethod
    def sample_numbers():
        with SAMPLE_CERTIFICATES.open(encoding="utf-8-sig", newline="") as sample:
            return [row["number"] for row in csv.DictReader(sample)]


def build(certificates=True, stdout=None):
    return DemoBuilder(certificates=certificates, stdout=stdout).build()
