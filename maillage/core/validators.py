from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def validate_siren(value: str) -> None:
    """A SIREN is 9 digits whose last is a Luhn check digit (La Poste's are an exception)."""
    if not (len(value) == 9 and value.isdigit()):
        raise ValidationError(_("Un SIREN compte 9 chiffres : « %(value)s ».") % {"value": value})
    # La Poste's establishments share SIREN 356000000, which fails Luhn by design of INSEE.
    if value != "356000000" and not luhn_ok(value):
        raise ValidationError(
            _("Le SIREN « %(value)s » est invalide (clé de contrôle incorrecte).")
            % {"value": value}
        )


def validate_siret(value: str) -> None:
    """A SIRET is the SIREN and a 5-digit establishment number (NIC), 14 digits whose last is a
    Luhn check digit (La Poste's establishments are an exception)."""
    if not (len(value) == 14 and value.isdigit()):
        raise ValidationError(_("Un SIRET compte 14 chiffres : « %(value)s ».") % {"value": value})
    if not value.startswith("356000000") and not luhn_ok(value):
        raise ValidationError(
            _("Le SIRET « %(value)s » est invalide (clé de contrôle incorrecte).")
            % {"value": value}
        )


RASTER_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}


def validate_raster_image(file) -> None:
    """A logo is a picture (PNG, JPEG, WebP, GIF), checked by reading it, not by its name: an
    SVG is a document that can carry a script, served from our own address (stored XSS)."""
    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        with Image.open(file) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError(
            _("Ce fichier n’est pas une image PNG, JPEG, WebP ou GIF lisible."), code="not_image"
        ) from error
    finally:
        file.seek(0)
    if kind not in RASTER_FORMATS:
        raise ValidationError(
            _("Format d’image refusé : %(kind)s (PNG, JPEG, WebP ou GIF).") % {"kind": kind},
            code="not_image",
        )


class MaxFileSize:
    """Refuse an uploaded file larger than `megabytes`."""

    def __init__(self, megabytes: int):
        self.megabytes = megabytes

    def __call__(self, file) -> None:
        if file.size > self.megabytes * 1024 * 1024:
            raise ValidationError(
                _("Le fichier dépasse %(size)s Mo.") % {"size": self.megabytes},
                code="file_too_large",
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxFileSize) and other.megabytes == self.megabytes

    def deconstruct(self):
        return ("maillage.core.validators.MaxFileSize", (self.megabytes,), {})
