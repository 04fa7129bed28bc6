#!/usr/bin/env python
"""Same as the `caseaudit` console script, for those who expect manage.py."""

from caseaudit.__main__ import main

if __name__ == "__main__":
    main()
