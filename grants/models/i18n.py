from django.utils import translation


def localized(obj, field: str) -> str:
    """The French or English value of a bilingual field, falling back to English."""
    lang = (translation.get_language() or "en")[:2]
    value = getattr(obj, f"{field}_{lang}", "") if lang in ("en", "fr") else ""
    return value or getattr(obj, f"{field}_en", "")
