"""factory_boy factories shared by every app's tests (and the benchmarks)."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from talentflow.accounts.models import Membership, User
from talentflow.core.validators import id_number_complete, uscc_complete
from talentflow.directory import services as directory_services
from talentflow.directory.models import (
    Affiliation,
    AffiliationKind,
    Organisation,
    OrganisationKind,
    Pool,
    TalentProfile,
)
from talentflow.reference.models import Region

TEST_PASSWORD = "Talentflow-2026"


def uscc_for(region_code: str, n: int) -> str:
    """A check-valid USCC registered in ``region_code`` (a company's: 9 1 …)."""
    return uscc_complete(f"91{region_code}{n:09d}")


def id_number_for(region_code: str, n: int, birth: dt.date = dt.date(1980, 1, 1)) -> str:
    return id_number_complete(f"{region_code}{birth:%Y%m%d}{n % 1000:03d}")


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username)
    password = factory.django.Password(TEST_PASSWORD)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = "officer"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    kind = OrganisationKind.ENTERPRISE
    region = factory.LazyFunction(lambda: Region.objects.get(code="330421"))
    uscc = factory.LazyAttributeSequence(
        lambda o, n: (
            uscc_for(o.region.code, 100000 + n) if o.kind == OrganisationKind.ENTERPRISE else None
        )
    )


class PoolFactory(DjangoModelFactory):
    class Meta:
        model = Pool

    code = factory.Sequence(lambda n: f"pool-{n}")
    name = factory.Sequence(lambda n: f"人才库{n}")
    region = factory.LazyFunction(lambda: Region.objects.get(code="330421"))


class TalentFactory(DjangoModelFactory):
    """Creates through the service, so the identity number is encrypted as in production."""

    class Meta:
        model = TalentProfile

    name = factory.Sequence(lambda n: f"人才{n}")
    home_region = factory.LazyFunction(lambda: Region.objects.get(code="330421"))
    id_number = factory.LazyAttributeSequence(lambda o, n: id_number_for(o.home_region.code, n))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return directory_services.talent_create(actor=None, system_label="test", **kwargs)


class AffiliationFactory(DjangoModelFactory):
    class Meta:
        model = Affiliation

    talent = factory.SubFactory(TalentFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    kind = AffiliationKind.EMPLOYED
    start_date = dt.date(2020, 1, 1)
