"""The Jinja2 environment of every service's pages: the shared layout and macros under the
service's own templates, the Italian formatting filters, the site and the CSRF token.

An htmx fragment is a block of the page's own template, rendered alone (jinja2-fragments).
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from fastapi import Request
from jinja2_fragments.fastapi import Jinja2Blocks

from shared.web.csrf import CsrfProtection
from shared.web.formatting import FILTERS
from shared.web.site import Site

SHARED_TEMPLATES = Path(__file__).parent / "templates"


def make_templates(service_templates: Path, site: Site, csrf: CsrfProtection) -> Jinja2Blocks:
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.FileSystemLoader(service_templates), jinja2.FileSystemLoader(SHARED_TEMPLATES)]
        ),
        autoescape=jinja2.select_autoescape(default=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    env.globals["site"] = site

    def csrf_token(request: Request) -> dict[str, str]:
        return {"csrf_token": csrf.token(request)}

    return Jinja2Blocks(env=env, context_processors=[csrf_token])
