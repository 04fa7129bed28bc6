def unread(request):
    """The unread count shown in the header."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {}
    from caseaudit.notifications.models import Notification

    count = Notification.objects.filter(
        user=request.user, partnership=membership.partnership, read_at__isnull=True
    ).count()
    return {"unread_notifications": count}
