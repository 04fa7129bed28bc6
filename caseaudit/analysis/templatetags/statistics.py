from django import template

register = template.Library()


@register.filter
def percent(value) -> str:
    """A percentage from the statistics (0 to 100, unrounded), to one decimal place."""
    return "-" if value is None else f"{value:.1f}%"


@register.simple_tag
def interval(low, high) -> str:
    if low is None or high is None:
        return "-"
    return f"{low:.1f}% to {high:.1f}%"


@register.filter
def get(mapping, key):
    return mapping.get(key, 0) if mapping else 0
