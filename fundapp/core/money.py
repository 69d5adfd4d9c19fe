from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def usd(value) -> Decimal:
    """Parse a money amount to a Decimal with two places (half-up); never via float."""
    if isinstance(value, float):
        raise TypeError("money must not be a float")
    try:
        return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {value!r}") from exc


def format_usd(value: Decimal | None) -> str:
    """``USD 1,234.50`` in every language: only for text that is stored (the pure ranking
    engine's explanations). What a person reads goes through ``fundapp.core.formatting``."""
    if value is None:
        return "—"
    return f"USD {value:,.2f}"
