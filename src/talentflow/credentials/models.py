"""Models of the credentials app (issue 7): the signing keys of the member regions and of the
alliance root, the revocation entries published in the signed revocation list, the service
catalogue that the talent code opens, and the redemptions recorded at the counters.

Private keys are stored only as ``core.crypto`` tokens (Fernet over the PKCS#8 PEM): the
database holds no key in the clear.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentflow.core.models import TimeStampedModel


class RootKey(models.Model):
    """The alliance root key that signs the trust list and the revocation list; clients pin
    its public key."""

    issuer = models.CharField(_("issuer"), max_length=32, unique=True)
    kid = models.CharField(_("key id"), max_length=16, unique=True)
    spki = models.TextField(_("public key (SPKI, base64)"))
    private_encrypted = models.TextField(_("private key (encrypted)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("alliance root key")
        verbose_name_plural = _("alliance root keys")

    def __str__(self) -> str:
        return f"{self.issuer} · {self.kid}"


class RegionKey(models.Model):
    """A member region's key that signs its talent codes (and its signed records). Codes are
    valid only when issued inside [not_before, not_after]."""

    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kid = models.CharField(_("key id"), max_length=16, unique=True)
    spki = models.TextField(_("public key (SPKI, base64)"))
    private_encrypted = models.TextField(_("private key (encrypted)"))
    not_before = models.DateTimeField(_("valid from"))
    not_after = models.DateTimeField(_("valid until"))
    retired = models.BooleanField(_("retired"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("region signing key")
        verbose_name_plural = _("region signing keys")
        ordering = ["region_id", "-not_before", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(not_after__gte=models.F("not_before")),
                name="region_key_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} · {self.kid}"


class Revocation(models.Model):
    """One entry of the incremental revocation list: codes of (iss, sid) — ``h`` — issued
    before ``since`` are revoked. ``source`` names what was revoked (e.g. ``result:12``) so a
    sync adds each revocation once."""

    source = models.CharField(_("source"), max_length=64, unique=True)
    h = models.CharField(_("hash"), max_length=32, db_index=True)
    since = models.BigIntegerField(_("revoked since (epoch seconds)"))
    seq = models.PositiveIntegerField(_("sequence"), unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("revocation")
        verbose_name_plural = _("revocations")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.seq} · {self.h}"


class ServiceGroup(models.TextChoices):
    APARTMENT = "apartment", _("Talent apartments")
    TRANSPORT = "transport", _("Transport")
    MEDICAL = "medical", _("Medical appointments")
    SCHOOLING = "schooling", _("Children's schooling")
    CULTURE = "culture", _("Culture and tourism")
    SPORTS = "sports", _("Sports and fitness")
    FINANCE = "finance", _("Finance and banking")
    GOVERNMENT = "government", _("Government services")
    TRAINING = "training", _("Training and exchange")


class ServiceLimit(models.TextChoices):
    UNLIMITED = "unlimited", _("Unlimited")
    ONCE = "once", _("Once")
    PER_YEAR = "per_year", _("N times a year")


class Service(TimeStampedModel):
    """A service of the common catalogue that a talent code opens (M5)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    provider = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="talent_services",
    )
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    group = models.CharField(_("service group"), max_length=16, choices=ServiceGroup.choices)
    eligible_tiers = models.CharField(
        _("eligible tiers"),
        max_length=8,
        help_text=_("The tiers served, as letters, e.g. ABCD."),
    )
    limit = models.CharField(
        _("limit"), max_length=16, choices=ServiceLimit.choices, default=ServiceLimit.UNLIMITED
    )
    limit_count = models.PositiveSmallIntegerField(_("times a year"), default=1)
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("talent service")
        verbose_name_plural = _("talent services")
        ordering = ["region_id", "group", "name", "id"]
        indexes = [models.Index(fields=["region", "group"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(limit_count__gte=1), name="service_count_ge1")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("credentials:service_detail", args=[self.pk])

    @property
    def tiers(self) -> tuple[str, ...]:
        return tuple(self.eligible_tiers)

    def limit_label(self) -> str:
        if self.limit == ServiceLimit.PER_YEAR:
            return _("%(count)s times a year") % {"count": self.limit_count}
        return str(self.get_limit_display())


class Redemption(models.Model):
    """A service used by a talent at a counter, recorded offline with a client UUID and synced;
    the server re-verified the code."""

    uuid = models.UUIDField(_("client id"), unique=True)
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="redemptions"
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sid = models.CharField(_("pseudonymous talent id"), max_length=32, db_index=True)
    iss = models.CharField(_("issuing region"), max_length=12)
    tier = models.CharField(_("tier"), max_length=2)
    masked_name = models.CharField(_("masked name"), max_length=16)
    once = models.BooleanField(_("once-only service"), default=False)
    year = models.PositiveSmallIntegerField(_("year"))
    redeemed_at = models.DateTimeField(_("redeemed at"))
    code_iat = models.DateTimeField(_("code issued at"))
    code_exp = models.DateTimeField(_("code expires at"))
    synced_at = models.DateTimeField(_("synced at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        ordering = ["-redeemed_at", "-id"]
        indexes = [models.Index(fields=["service", "sid", "year"])]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "sid"],
                condition=models.Q(once=True),
                name="uniq_once_redemption",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service} · {self.masked_name}"
