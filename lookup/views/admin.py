"""View classes and filters of the registry's Wagtail admin (see ``lookup/wagtail_hooks.py``).

Certification body staff reach only their own body's certificates and trace codes:
listings are filtered by the permission policy, and every view of one object
answers 404 for another body's.
"""

import django_filters

from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet
from wagtail.log_actions import log
from wagtail.permissions import policy_registry
from wagtail.snippets.views import chooser, snippets

from lookup.api.auth import create_api_token
from lookup.codes import FIRST_YEAR
from lookup.models import Certificate, ImportRun, SpotCheck, Status, TraceCode
from lookup.permissions import BodyScopedPolicy


def issue_year_choices():
    return [(year, str(year)) for year in range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1)]


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices, method="filter_status")
    issue_year = django_filters.ChoiceFilter(
        label=_("Year of issue"), choices=issue_year_choices, method="filter_issue_year"
    )

    class Meta:
        model = Certificate
        fields = ["status", "body", "category", "issue_year"]

    def filter_status(self, queryset, name, value):
        """Filter by the status a reader sees: valid certificates past their expiry
        date count as expired."""
        today = timezone.localdate()
        if value == Status.EXPIRED:
            return queryset.filter(Q(status=Status.EXPIRED) | Q(status=Status.VALID, expires_on__lt=today))
        if value == Status.VALID:
            return queryset.filter(status=Status.VALID, expires_on__gte=today)
        return queryset.filter(status=value)

    def filter_issue_year(self, queryset, name, value):
        return queryset.filter(issued_on__year=int(value))


class TraceCodeFilterSet(WagtailFilterSet):
    class Meta:
        model = TraceCode
        fields = {"certificate__body": ["exact"], "issued_at": ["date__gte", "date__lte"]}


class SpotCheckFilterSet(WagtailFilterSet):
    class Meta:
        model = SpotCheck
        fields = ["year", "result", "category"]


class ImportRunFilterSet(WagtailFilterSet):
    class Meta:
        model = ImportRun
        fields = ["outcome", "source", "body"]


class BodyScopedObjectMixin:
    """Answers 404 when the object belongs to a body the user may not reach."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        policy = policy_registry.get_by_type(type(instance))
        if isinstance(policy, BodyScopedPolicy) and not policy.in_scope(self.request.user, instance):
            raise Http404
        return instance


class BodyScopedChooserMixin:
    """Chooser listings and choices keep body staff to their own body's records."""

    def scope(self, queryset):
        policy = policy_registry.get_by_type(self.model_class)
        if isinstance(policy, BodyScopedPolicy):
            return policy.scope_queryset(self.request.user, queryset)
        return queryset

    def get_object_list(self):
        return self.scope(super().get_object_list())

    def get_object(self, pk):
        try:
            return self.scope(self.model_class._default_manager.all()).get(pk=pk)
        except self.model_class.DoesNotExist:
            raise Http404 from None

    def get_objects(self, pks):
        return self.scope(super().get_objects(pks))


class ScopedChooseView(BodyScopedChooserMixin, chooser.ChooseView):
    pass


class ScopedChooseResultsView(BodyScopedChooserMixin, chooser.ChooseResultsView):
    pass


class ScopedChosenView(BodyScopedChooserMixin, chooser.SnippetChosenView):
    pass


class ScopedChosenMultipleView(BodyScopedChooserMixin, chooser.SnippetChosenMultipleView):
    pass


class ScopedSnippetChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


class ScopedEditView(BodyScopedObjectMixin, snippets.EditView):
    pass


class ScopedDeleteView(BodyScopedObjectMixin, snippets.DeleteView):
    pass


class ScopedHistoryView(BodyScopedObjectMixin, snippets.HistoryView):
    pass


class ScopedUsageView(BodyScopedObjectMixin, snippets.UsageView):
    pass


class ScopedInspectView(BodyScopedObjectMixin, snippets.InspectView):
    pass


class CertificateInspectView(ScopedInspectView):
    """The record, the status a reader sees today, and the status history."""

    template_name = "lookup/admin/certificate_inspect.html"

    def get_field_display_value(self, field_name, field):
        value = getattr(self.object, field_name, None)
        if isinstance(value, list):
            return "; ".join(str(item) for item in value) or "-"
        return super().get_field_display_value(field_name, field)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["effective_status"] = Status(self.object.effective_status()).label
        context["status_changes"] = self.object.status_changes.select_related("changed_by").order_by(
            "-changed_on", "-recorded_at"
        )
        context["trace_code_count"] = self.object.trace_codes.count()
        return context


class ImportRunInspectView(snippets.InspectView):
    """An import and the row-level report of what was wrong with its file."""

    template_name = "lookup/admin/import_run_inspect.html"


class ApiTokenCreateView(snippets.CreateView):
    """Makes a token and shows its key, once: only a hash of it is kept."""

    def form_valid(self, form):
        self.form = form
        with transaction.atomic():
            self.object, key = create_api_token(
                form.cleaned_data["body"], form.cleaned_data["name"], user=self.request.user
            )
            log(instance=self.object, action="wagtail.create", user=self.request.user)
        context = self.get_context_data(form=form)
        context.update(token=self.object, key=key, index_url=reverse(self.index_url_name))
        response = TemplateResponse(self.request, "lookup/admin/api_token_created.html", context)
        response["Cache-Control"] = "no-store"
        return response
