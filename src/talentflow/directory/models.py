"""The directory: organisations, talent pools, talent profiles and affiliations over time."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentflow.core.models import DataSource, TimeStampedModel
from talentflow.core.validators import validate_uscc
from talentflow.reference.models import TitleLevel


class OrganisationKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    UNIVERSITY = "university", _("University")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    PLATFORM = "platform", _("Innovation platform / joint lab")
    GOVERNMENT = "government", _("Government department")
    SERVICE_PROVIDER = "service_provider", _("Service provider")
    ASSOCIATION = "association", _("Industry association")


INSTITUTION_KINDS = {
    OrganisationKind.UNIVERSITY,
    OrganisationKind.RESEARCH_INSTITUTE,
    OrganisationKind.PLATFORM,
}


class Organisation(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200, db_index=True)
    kind = models.CharField(_("kind"), max_length=32, choices=OrganisationKind.choices)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_uscc],
        help_text=_("18 characters, GB 32100-2015. Required for enterprises."),
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    industry = models.ForeignKey(
        "reference.Industry",
        verbose_name=_("main industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    shared_with = models.ManyToManyField(
        "reference.Alliance",
        verbose_name=_("shared with alliances"),
        blank=True,
        related_name="shared_organisations",
        help_text=_("Officers of every member region of these alliances can see this record."),
    )
    data_source = models.CharField(
        _("source"), max_length=16, choices=DataSource.choices, default=DataSource.ENTERED
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="enterprise") | models.Q(uscc__isnull=False),
                name="enterprise_has_uscc",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:organisation_detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.uscc == "":
            self.uscc = None
        if self.kind == OrganisationKind.ENTERPRISE and not self.uscc:
            raise ValidationError(
                {"uscc": _("An enterprise is identified by its unified social credit code.")}
            )
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organisation cannot be its own parent.")})


class Pool(TimeStampedModel):
    """A talent pool. A pool of an alliance is shared with every member region."""

    code = models.SlugField(_("code"), max_length=48, unique=True)
    name = models.CharField(_("name"), max_length=128)
    description = models.TextField(_("description"), blank=True)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    alliance = models.ForeignKey(
        "reference.Alliance",
        verbose_name=_("alliance"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pools",
    )

    class Meta:
        verbose_name = _("talent pool")
        verbose_name_plural = _("talent pools")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(region__isnull=False, alliance__isnull=True)
                | models.Q(region__isnull=True, alliance__isnull=False),
                name="pool_owned_by_region_or_alliance",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    ASSOCIATE = "associate", _("Junior college (大专)")
    SECONDARY = "secondary", _("Secondary school / vocational secondary")
    BELOW = "below", _("Below secondary")


class Availability(models.TextChoices):
    AVAILABLE = "available", _("Available")
    LIMITED = "limited", _("Limited")
    UNAVAILABLE = "unavailable", _("Not available")


def _current_year() -> int:
    return dt.date.today().year


class TalentProfile(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="talent_profile",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=64, db_index=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("birth year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1920), MaxValueValidator(2015)],
    )
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    # Personal data: the identity number is kept only encrypted; the digest finds duplicates
    # and the mask is what every page shows (see core/crypto.py).
    id_number_encrypted = models.TextField(
        _("identity number (encrypted)"), blank=True, editable=False
    )
    id_number_digest = models.CharField(
        _("identity number digest"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        editable=False,
    )
    id_number_masked = models.CharField(
        _("identity number"), max_length=18, blank=True, editable=False
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    title_series = models.ForeignKey(
        "reference.TitleSeries",
        verbose_name=_("title series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title_level = models.CharField(
        _("title level"), max_length=16, choices=TitleLevel.choices, blank=True
    )
    qualifications = models.ManyToManyField(
        "reference.Qualification", verbose_name=_("qualifications held"), blank=True
    )
    disciplines = models.ManyToManyField(
        "reference.Discipline", verbose_name=_("disciplines"), blank=True
    )
    industries = models.ManyToManyField(
        "reference.Industry", verbose_name=_("industries"), blank=True
    )
    expertise = models.CharField(
        _("expertise keywords"),
        max_length=500,
        blank=True,
        help_text=_("Keywords separated by ；, for example 压铸；模具钢；热处理"),
    )
    biography = models.TextField(_("biography"), blank=True)
    home_region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("home region"),
        on_delete=models.PROTECT,
        related_name="talents",
    )
    availability = models.CharField(
        _("availability"),
        max_length=16,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    pools = models.ManyToManyField(
        Pool, verbose_name=_("talent pools"), blank=True, related_name="talents"
    )
    data_source = models.CharField(
        _("source"), max_length=16, choices=DataSource.choices, default=DataSource.ENTERED
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("talent")
        verbose_name_plural = _("talents")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(title_level="") | models.Q(title_series__isnull=False),
                name="title_level_needs_series",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("directory:talent_detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.title_level and not self.title_series_id:
            raise ValidationError({"title_series": _("Choose the series of this title level.")})
        if self.birth_year and self.birth_year > _current_year():
            raise ValidationError({"birth_year": _("The birth year lies in the future.")})

    @property
    def title_name(self) -> str:
        if self.title_series_id and self.title_level:
            return self.title_series.title_at(self.title_level)
        return ""

    @property
    def expertise_list(self) -> list[str]:
        return [k for k in self.expertise.split("；") if k]


class AffiliationKind(models.TextChoices):
    EMPLOYED = "employed", _("Employed by")
    SECONDED = "seconded", _("Seconded to")
    SERVING = "serving", _("Serving (part-time)")
    STUDYING = "studying", _("Studying at")


class Affiliation(TimeStampedModel):
    """A talent's tie to an organisation over a period: the record of talent flow."""

    talent = models.ForeignKey(
        TalentProfile,
        verbose_name=_("talent"),
        on_delete=models.CASCADE,
        related_name="affiliations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="affiliations",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=AffiliationKind.choices)
    position = models.CharField(_("position"), max_length=64, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("affiliation")
        verbose_name_plural = _("affiliations")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="affiliation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.talent} · {self.get_kind_display()} {self.organisation}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date is before the start date.")})

    @property
    def is_current(self) -> bool:
        return self.end_date is None or self.end_date >= dt.date.today()
