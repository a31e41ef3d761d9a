"""Accessibility checks on a loaded page: axe-core (WCAG 2.0/2.1 A and AA) and what axe cannot see.

Each check returns a list of readable problems (empty when all is well), so that a journey can
collect them per page and fail with all of them at once.
"""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
#: 200 % zoom of a 1280 px wide window: the layout a person with low vision sees.
ZOOM_200_WIDTH = 640
#: Pixels around an element's box in which its focus indicator (outline, offset, shadow) is looked for.
FOCUS_MARGIN = 12

_axe = Axe()


def axe_violations(page: Page) -> list[str]:
    """axe-core's violations of the WCAG A/AA rules: rule id, impact, help, the elements' selectors."""
    results = _axe.run(page, options=AXE_OPTIONS).response
    return [_describe_violation(violation) for violation in results["violations"]]


def _describe_violation(violation: dict) -> str:
    targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"])
    summary = violation["nodes"][0].get("failureSummary", "").replace("\n", " ") if violation["nodes"] else ""
    return (
        f"axe {violation['id']} ({violation['impact']}): {violation['help']} [{violation['helpUrl']}]\n"
        f"      at: {targets}\n      why: {summary}"
    )


# Elements that stick out of the page sideways or cut off their own content; scrolling regions
# (data tables in .table-scroll, text areas) and visually hidden text are allowed to.
_REFLOW_SCRIPT = """
() => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const scrolling = document.documentElement.scrollWidth;
  if (scrolling > width) problems.push(`the page scrolls sideways: ${scrolling} px of content in a ${width} px window`);
  const describe = (el) => {
    const classes = el.classList.length ? '.' + [...el.classList].join('.') : '';
    const text = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 50);
    return `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${classes}> "${text}"`;
  };
  const hidden = (el) => {
    for (let node = el; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.clip !== 'auto' || style.clipPath !== 'none') return true;
    }
    return false;
  };
  const inScrollRegion = (el) => {
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(node).overflowX)) return true;
    }
    return false;
  };
  // Wider than the box it sits in (a field past its panel's border), where the box neither scrolls nor clips.
  const sticksOut = (el, box, style) => {
    const parent = el.parentElement;
    if (!parent || parent === document.body || ['absolute', 'fixed'].includes(style.position)) return false;
    const outer = getComputedStyle(parent);
    if (outer.display.startsWith('inline') || outer.display === 'contents' || outer.overflowX !== 'visible') return false;
    if (el.closest('svg')) return false;
    return box.right > parent.getBoundingClientRect().right + 1;
  };
  for (const el of document.body.querySelectorAll('*')) {
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility === 'hidden' || box.width === 0 || box.height === 0 || hidden(el) || inScrollRegion(el)) continue;
    if (box.right > width + 1 || box.left < -1) {
      problems.push(`${describe(el)} reaches from ${Math.round(box.left)} to ${Math.round(box.right)} px`);
    } else if (sticksOut(el, box, style)) {
      const by = Math.round(box.right - el.parentElement.getBoundingClientRect().right);
      problems.push(`${describe(el)} sticks out of ${describe(el.parentElement)} by ${by} px`);
    }
    const clips = ['hidden', 'clip'];
    const formControl = ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
    if (!formControl && ((clips.includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1)
        || (clips.includes(style.overflowY) && el.scrollHeight > el.clientHeight + 1))) {
      const inner = `${el.scrollWidth}×${el.scrollHeight} px in ${el.clientWidth}×${el.clientHeight} px`;
      problems.push(`${describe(el)} cuts off its content (${inner})`);
    }
  }
  return problems.slice(0, 15);
}
"""


def reflow_problems(page: Page, width: int = ZOOM_200_WIDTH) -> list[str]:
    """WCAG 1.4.10 at this window width: no sideways scrolling of the page, nothing cut off."""
    original = page.viewport_size
    page.set_viewport_size({"width": width, "height": original["height"]})
    try:
        return [f"at {width} px: {problem}" for problem in page.evaluate(_REFLOW_SCRIPT)]
    finally:
        page.set_viewport_size(original)


_FOCUSED_BOX = """
() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const box = el.getBoundingClientRect();
  const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
  const covered = top && !el.contains(top) && !top.contains(el) && !(el.labels && [...el.labels].some((l) => l.contains(top)));
  return {x: box.left, y: box.top, width: box.width, height: box.height,
          coveredBy: covered ? `<${top.tagName.toLowerCase()}${top.className ? '.' + top.className : ''}>` : '',
          kind: `${el.tagName.toLowerCase()}${el.type ? '[' + el.type + ']' : ''}${el.className ? '.' + el.className : ''}`,
          name: (el.getAttribute('aria-label') || el.innerText || el.name || el.id || '').trim().slice(0, 60)};
}
"""


def focus_indicator_problem(page: Page) -> str:
    """'' if the focused element looks different from the unfocused one (WCAG 2.4.7), else what is wrong.

    Compares two screenshots of the element and its surroundings: focused, then blurred. The focus
    is given back afterwards, so that the next Tab goes on from here.
    """
    box = page.evaluate(_FOCUSED_BOX)
    if box is None:
        return "nothing has the keyboard focus"
    viewport = page.viewport_size
    left, top = max(box["x"] - FOCUS_MARGIN, 0), max(box["y"] - FOCUS_MARGIN, 0)
    right = min(box["x"] + box["width"] + FOCUS_MARGIN, viewport["width"])
    bottom = min(box["y"] + box["height"] + FOCUS_MARGIN, viewport["height"])
    if right <= left or bottom <= top:
        return f"the focused {box['kind']} „{box['name']}“ is outside the window"
    if box["coveredBy"]:
        return f"the focused {box['kind']} „{box['name']}“ is hidden under {box['coveredBy']}"
    clip = {"x": left, "y": top, "width": right - left, "height": bottom - top}
    focused = page.screenshot(clip=clip, animations="disabled")
    element = page.evaluate_handle("document.activeElement")
    element.evaluate("el => el.blur()")
    blurred = page.screenshot(clip=clip, animations="disabled")
    element.evaluate("el => el.focus({preventScroll: true})")
    element.dispose()
    return "" if focused != blurred else f"the focused {box['kind']} „{box['name']}“ shows no visible focus"


_ERROR_STATE = """
() => {
  const summary = document.querySelector('[role="alert"]#fehler');
  if (!summary) return null;
  const fields = [...summary.querySelectorAll('a[href^="#"]')].map((link) => {
    const field = document.getElementById(link.getAttribute('href').slice(1));
    const described = field ? (field.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean) : [];
    return {
      link: link.innerText.trim(),
      invalid: field ? field.getAttribute('aria-invalid') : 'no such field',
      description: described.map((id) => (document.getElementById(id) || {innerText: ''}).innerText.trim()),
    };
  });
  return {focused: document.activeElement === summary, fields};
}
"""


def error_announcement(page: Page) -> dict | None:
    """The error summary (role=alert) as assistive technology meets it; None if the page has none.

    {"focused": whether it has the focus on arrival, "fields": [{"link": its text, "invalid": the
    field's aria-invalid, "description": the texts its aria-describedby points to}]}
    """
    return page.evaluate(_ERROR_STATE)
