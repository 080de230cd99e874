"""Open a page of the built book with every off-origin request blocked and logged."""

from __future__ import annotations

from dataclasses import dataclass, field

LOCAL_SCHEMES = ("data:", "blob:", "about:")


@dataclass
class PageLog:
    origin: str
    off_origin: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def open_page(browser, origin: str, path: str, *, theme: str = "light", reduced_motion: str = "no-preference"):
    """Open ``path`` with every off-origin request blocked; returns (context, page, log)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, reduced_motion=reduced_motion,
                                  color_scheme=theme)
    # The book theme reads the reader's choice from localStorage before first paint.
    context.add_init_script(f"localStorage.setItem('mode', '{theme}'); localStorage.setItem('theme', '{theme}');")
    log = PageLog(origin)

    def route(r):
        url = r.request.url
        if url.startswith(origin) or url.startswith(LOCAL_SCHEMES):
            r.continue_()
        else:
            log.off_origin.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and log.console_errors.append(m.text))
    page.on("pageerror", lambda e: log.console_errors.append(f"pageerror: {e}"))
    page.on("response", lambda r: r.status >= 400 and log.failed.append(f"{r.status} {r.url}"))
    page.goto(f"{origin}/{path}", wait_until="load")
    return context, page, log
