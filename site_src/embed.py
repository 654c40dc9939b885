"""The HTML a page gets for a resolved value, figure or table, with its provenance."""

from __future__ import annotations

from html import escape

from gen.render.numbers import measured_text, spread_note
from site_src.language import DEFAULT, message
from site_src.manifest import Resolved
from site_src.references import Reference

# Units that are words, in the language of the page (the others, ns or GiB, read the same everywhere)
_WORD_UNITS = {" steps": "unit_steps", " tokens": "unit_tokens"}


def in_language(item: dict, language: str) -> dict:
    """A manifest item with its words (and a figure's SVGs) in `language` where rendering had them all
    (gen/render/translate.py); otherwise as it is, in English."""
    return {**item, **item.get("translations", {}).get(language, {})}


def device_text(source: dict, language: str) -> str:
    """The device that measured a result (a profile's manifest entry), in `language` where rendering
    could translate the words around its name."""
    return source.get("device_translations", {}).get(language, source["device"])


def value_html(ref: Reference, resolved: Resolved, language: str = DEFAULT) -> str:
    item = in_language(resolved.item, language)
    spread = item.get("spread")
    unit = message(_WORD_UNITS[item["unit"]], language) if item["unit"] in _WORD_UNITS else item["unit"]
    try:
        text = measured_text(item["value"], ref.spec or item["format"], unit, spread, item.get("missing", ""))
    except (ValueError, TypeError) as err:
        raise ValueError(f"format spec '{ref.spec}' does not fit the value {item['value']!r} ({err})") from None
    if item["value"] is None:  # the run could not measure it; the experiment says why
        missing = message("not_measured_in_run", language, label=item["label"], text=text)
        title = f"{missing} {measured_on(resolved, language)}"
        return f'<span class="rva-value rva-value-missing" title="{escape(title)}">{escape(text)}</span>'
    spread_text = f" ({spread_note(spread)})" if spread else ""
    title = (f"{item['label']}{spread_text}{message('full_stop', language)}{message('gap', language)}"
             f"{measured_on(resolved, language)}")
    return f'<span class="rva-value" title="{escape(title)}">{escape(text)}</span>'


def figure_html(ref: Reference, resolved: Resolved, url_of, language: str = DEFAULT) -> str:
    item = in_language(resolved.item, language)
    anchor = f"fig-{ref.experiment}-{ref.key}"
    images = "".join(
        f'<img src="{escape(url_of(item[theme]))}#only-{theme}" alt="{escape(item["alt"])}" '
        f'width="720" height="380" loading="lazy">'
        for theme in ("light", "dark")
    )
    caption = escape(item["caption"]) + message("gap", language) + provenance_html(resolved, url_of, language)
    # the frame scrolls sideways on a phone, where the figure keeps a width its labels can be read at
    return (f'<figure class="rva-figure" id="{anchor}"><div class="rva-figure__frame">{images}</div>'
            f'<figcaption>{caption}</figcaption></figure>')


def table_html(ref: Reference, resolved: Resolved, url_of, language: str = DEFAULT) -> str:
    item = in_language(resolved.item, language)
    caption = escape(item["caption"]) + message("gap", language) + provenance_html(resolved, url_of, language)
    # Blank lines around the Markdown table so it parses as a block wherever the reference stands.
    return (f'\n\n<div class="rva-table" id="table-{ref.experiment}-{ref.key}" markdown>\n\n'
            f'{item["markdown"]}\n\n</div>\n<p class="rva-caption">{caption}</p>\n\n')


def measured_on(resolved: Resolved, language: str = DEFAULT) -> str:
    source = resolved.source
    if resolved.item.get("computed"):  # arithmetic: no device measured it, so none is named as if it had
        return message("computed", language, experiment=resolved.experiment, date=source["date"])
    text = message("measured_on", language, device=device_text(source, language), torch=source["torch"],
                   date=source["date"])
    if resolved.profile == "smoke":
        text += message("smoke_data", language)
    return text + message("full_stop", language)


def provenance_html(resolved: Resolved, url_of, language: str = DEFAULT) -> str:
    data_url = url_of(data_file_uri(resolved.profile, resolved.experiment))
    stop = message("full_stop", language)
    space = message("gap", language)
    notes = "".join(f"{space}<em>{message('note', language)}{message('gap', language)}{escape(note)}</em>"
                    for note in resolved.notes)
    return (f'<span class="rva-provenance">{escape(measured_on(resolved, language))}{space}'
            f'<a href="{escape(data_url)}">{message("data_link", language)}</a>{stop}{notes}</span>')


def data_file_uri(profile: str, experiment: str) -> str:
    return f"data/{profile}/{experiment}.json"


def devices_html(manifest_experiments: dict, language: str = DEFAULT) -> str:
    """Which devices measured what this build shows, from the manifest: no device is ever typed by hand."""
    shown: dict[str, list[str]] = {}
    for name, entry in sorted(manifest_experiments.items()):
        profile = entry.get("shown")
        if profile:
            device = device_text(entry["profiles"][profile], language)
            shown.setdefault(message("device_and_profile", language, device=device, profile=profile), []).append(name)
    if not shown:
        return f"<em>{message('no_results_rendered', language)}</em>"
    separator = message("list_separator", language)
    parts = [message("experiments_on_device", language, device=escape(device), count=len(names),
                     plural="s" if len(names) != 1 else "", names=escape(separator.join(names)))
             for device, names in shown.items()]
    gpu = any(entry.get("shown") == "gpu" for entry in manifest_experiments.values())
    closing = "" if gpu else message("no_gpu_result", language)
    text = message("devices_shown", language, parts=message("devices_separator", language).join(parts))
    return f'<span class="rva-devices">{text}{closing}</span>'
