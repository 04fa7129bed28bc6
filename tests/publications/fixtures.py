"""An audit whose sample holds invented children with the kinds of name the check must handle:
an ordinary distinctive name, a name made of two common words, an accented double-barrelled
name, a name exported surname first with a middle name."""

from tests.returns.factories import Child, audit_with_locked_sample

CHILDREN = (
    Child("PC-20417", "Ottoline Brackenbury", "2015-04-03", "CSC;HEALTH", "Child A"),
    Child("PC-20418", "Hope Summer", "2016-09-21", "CSC", "Child B"),
    Child("PC-20419", "Zoë Quillfeather-Marsh", "2012-11-30", "CSC", "Child C"),
    Child("PC-20420", "Tenterden, Marigold Anne", "2018-05-17", "CSC", "Child D"),
)


def privacy_audit(world, **options):
    return audit_with_locked_sample(world, children=CHILDREN, **options)
