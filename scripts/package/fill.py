#!/usr/bin/env python3
"""Fills a template: fill.py TEMPLATE OUT KEY=VALUE... replaces each @KEY@ (values may span lines)
and fails on a placeholder left unfilled, so a template and package.sh cannot drift apart."""
import re
import sys

template, out, *pairs = sys.argv[1:]
text = open(template).read()
for pair in pairs:
    key, value = pair.split("=", 1)
    text = text.replace(f"@{key}@", value)
left = re.findall(r"@[A-Z_]+@", text)
if left:
    sys.exit(f"fill.py: {template}: unfilled {' '.join(sorted(set(left)))}")
open(out, "w").write(text)
