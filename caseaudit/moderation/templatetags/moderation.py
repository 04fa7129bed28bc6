from django import template

register = template.Library()


@register.filter
def can(membership, permission: str) -> bool:
    """`{% if current_membership|can:"record_meeting" %}`: whether the member holds it."""
    return bool(membership) and membership.can(permission)


@register.filter
def share(value) -> str:
    """A share from 0 to 1 as a whole percentage; "-" when there is none."""
    return "-" if value is None else f"{value * 100:.0f}%"


@register.filter
def kappa(value) -> str:
    return "-" if value is None else f"{value:.2f}"
