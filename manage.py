#!/usr/bin/env python
"""Django's command-line utility; the same as the installed ``kechuang`` command."""

from kechuang.cli import main

if __name__ == "__main__":
    main()
