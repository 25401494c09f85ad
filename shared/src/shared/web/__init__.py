"""Server-rendered pages shared by the services: layout, assets, CSRF, formatting, errors."""

from shared.web.app import install_web, render
from shared.web.csrf import CsrfProtection
from shared.web.errors import LoginRequired, PageRoute
from shared.web.site import Site

__all__ = ["CsrfProtection", "LoginRequired", "PageRoute", "Site", "install_web", "render"]
