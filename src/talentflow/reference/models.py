"""Reference data: regions and alliances, and the national taxonomies.

Loaded from the files in ``reference/data`` (see PROVENANCE.md there); codes are the natural
keys people and other systems use, so regions and industries are keyed by their code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    PREFECTURE = "prefecture", _("Prefecture")
    COUNTY = "county", _("County")


class Region(models.Model):
    """An administrative division (GB/T 2260 code), down to county level."""

    code = models.CharField(_("code"), max_length=6, primary_key=True)
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    full_name = models.CharField(_("full name"), max_length=128)
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    stats_only = models.BooleanField(_("statistics-only zone"), default=False)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        """The code prefix shared by this region and everything inside it (GB/T 2260)."""
        if self.level == RegionLevel.PROVINCE:
            return self.code[:2]
        if self.level == RegionLevel.PREFECTURE:
            return self.code[:4]
        return self.code


class Alliance(models.Model):
    """Regions that share talent and recognise each other's certifications."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    short_name = models.CharField(_("short name"), max_length=32)
    description = models.TextField(_("description"), blank=True)
    members = models.ManyToManyField(
        Region, through="AllianceMember", related_name="alliances", verbose_name=_("members")
    )

    class Meta:
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.short_name or self.name


class AllianceMember(models.Model):
    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE, related_name="memberships"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    class Meta:
        verbose_name = _("alliance member")
        verbose_name_plural = _("alliance members")
        constraints = [
            models.UniqueConstraint(fields=["alliance", "region"], name="uniq_alliance_member")
        ]

    def __str__(self) -> str:
        return f"{self.alliance} · {self.region}"


class Industry(models.Model):
    """GB/T 4754-2017: 门类 (letter), 大类 (2 digits), 中类 (3), 小类 (4)."""

    code = models.CharField(_("code"), max_length=4, primary_key=True)
    name = models.CharField(_("name"), max_length=128)
    level = models.PositiveSmallIntegerField(_("level"))
    section = models.CharField(_("section"), max_length=1, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["section", "code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class DisciplineScheme(models.TextChoices):
    GRADUATE_2022 = "grad2022", _("Graduate discipline catalogue (2022)")
    NSFC = "nsfc", _("NSFC application codes")


class Discipline(models.Model):
    """A discipline in one of two schemes; codes nest by prefix within a scheme."""

    scheme = models.CharField(_("scheme"), max_length=16, choices=DisciplineScheme.choices)
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    level = models.PositiveSmallIntegerField(_("level"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["scheme", "code"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="uniq_discipline_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class TitleLevel(models.TextChoices):
    SENIOR_FULL = "senior_full", _("Full senior (正高级)")
    SENIOR_DEPUTY = "senior_deputy", _("Deputy senior (副高级)")
    INTERMEDIATE = "intermediate", _("Intermediate (中级)")
    ASSISTANT = "assistant", _("Assistant (助理级)")
    JUNIOR = "junior", _("Junior (员级)")


class TitleSeries(models.Model):
    """One of the 27 职称系列, with the title name at each level (MOHRSS 2021)."""

    seq = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=64, unique=True)
    title_senior_full = models.CharField(_("full senior title"), max_length=128, blank=True)
    title_senior_deputy = models.CharField(_("deputy senior title"), max_length=128, blank=True)
    title_intermediate = models.CharField(_("intermediate title"), max_length=128, blank=True)
    title_assistant = models.CharField(_("assistant title"), max_length=128, blank=True)
    title_junior = models.CharField(_("junior title"), max_length=128, blank=True)
    other_tracks = models.CharField(_("other tracks"), max_length=255, blank=True)
    verified = models.BooleanField(_("verified against the official table"), default=False)

    class Meta:
        verbose_name = _("title series")
        verbose_name_plural = _("title series")
        ordering = ["seq"]

    def __str__(self) -> str:
        return self.name

    def title_at(self, level: str) -> str:
        """The title name at a level; an empty string where the series has no such level."""
        return getattr(self, f"title_{level}", "") if level else ""


class Qualification(models.Model):
    """An entry of the 国家职业资格目录（2021年版）."""

    entry_no = models.PositiveSmallIntegerField(_("entry number"), unique=True)
    name = models.CharField(_("name"), max_length=128)
    personnel_type = models.CharField(_("personnel type"), max_length=32)
    category = models.CharField(_("category"), max_length=16, blank=True)
    catalogue_item_no = models.PositiveSmallIntegerField(
        _("catalogue item number"), null=True, blank=True
    )
    catalogue_item = models.CharField(_("catalogue item"), max_length=128, blank=True)
    verified = models.BooleanField(_("verified against the official catalogue"), default=False)

    class Meta:
        verbose_name = _("vocational qualification")
        verbose_name_plural = _("vocational qualifications")
        ordering = ["entry_no"]

    def __str__(self) -> str:
        return self.name
