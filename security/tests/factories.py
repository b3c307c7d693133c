import factory
from factory.django import DjangoModelFactory

from security.models import AuditEvent


class AuditEventFactory(DjangoModelFactory):
    actor_label = factory.Sequence(lambda n: f"user{n}")
    ip_address = "192.0.2.10"
    action = "wagtail.edit"
    object_type = "lookup.certificate"
    object_id = factory.Sequence(str)
    object_repr = factory.Sequence(lambda n: f"Certificate {n}")
    outcome = AuditEvent.Outcome.SUCCESS

    class Meta:
        model = AuditEvent
