"""Users and their memberships: who may act for which organisation or region, in which role."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentflow.core.models import TimeStampedModel


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    OFFICER = "officer", _("Talent-office officer")
    ENTERPRISE = "enterprise", _("Enterprise")
    INSTITUTION = "institution", _("Institution")
    TALENT = "talent", _("Talent")
    STUDENT = "student", _("Graduate student")
    PROVIDER = "provider", _("Service provider")
    ASSOCIATION = "association", _("Industry association")
    # 财政: reviews and pays subsidies of its region; sees nothing else an officer sees.
    FINANCE = "finance", _("Finance officer")


# Roles that act for an organisation, and the organisation kinds each may act for.
ORGANISATION_ROLES: dict[str, set[str]] = {
    Role.ENTERPRISE: {"enterprise"},
    Role.INSTITUTION: {"university", "research_institute", "platform"},
    Role.PROVIDER: {"service_provider"},
    Role.ASSOCIATION: {"association"},
}
PERSONAL_ROLES = {Role.TALENT, Role.STUDENT}
# Roles exercised for a region (GB/T 2260 code): the talent office and the finance bureau.
REGION_ROLES = {Role.OFFICER, Role.FINANCE}


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class Membership(TimeStampedModel):
    """A user's role, bound to the organisation or region it is exercised for."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organisation", "region"], name="uniq_membership"
            ),
            models.CheckConstraint(
                condition=~models.Q(role="officer") | models.Q(region__isnull=False),
                name="officer_has_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="finance") | models.Q(region__isnull=False),
                name="finance_has_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(role__in=list(ORGANISATION_ROLES))
                | models.Q(organisation__isnull=False),
                name="org_role_has_organisation",
            ),
        ]

    def __str__(self) -> str:
        where = self.organisation or self.region or ""
        return f"{self.user} · {self.get_role_display()} {where}".strip()

    def clean(self) -> None:
        if self.role in REGION_ROLES and not self.region_id:
            raise ValidationError({"region": _("An officer acts for a region; choose one.")})
        kinds = ORGANISATION_ROLES.get(self.role)
        if kinds is not None:
            if not self.organisation_id:
                raise ValidationError(
                    {"organisation": _("This role acts for an organisation; choose one.")}
                )
            if self.organisation.kind not in kinds:
                raise ValidationError(
                    {
                        "organisation": _(
                            "A %(role)s user cannot act for an organisation of kind %(kind)s."
                        )
                        % {
                            "role": self.get_role_display(),
                            "kind": self.organisation.get_kind_display(),
                        }
                    }
                )


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("ascii")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 digest is stored."""

    PREFIX_LENGTH = 8

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=64)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH, db_index=True)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_key() -> str:
        return "tf_" + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(key: str) -> str:
        return _digest(key)

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
