"""`{% work_menu as links %}`: the main menu of base.html for whoever reads the page."""

from __future__ import annotations

from typing import Any

from django import template

from cegah.home.menu import MenuLink, menu_links

register = template.Library()


@register.simple_tag(takes_context=True)
def work_menu(context: dict[str, Any]) -> list[MenuLink]:
    request = context.get("request")
    return menu_links(user=getattr(request, "user", None))
