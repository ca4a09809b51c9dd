"""A dataset description in DCAT-AP-SE (the Swedish profile of DCAT-AP that dataportal.se
harvests), as RDF/XML: a catalogue holding one dataset, the registry, with a distribution
for each export written beside it (the CSV tables with their Data Package, the JSON
document, the Popolo file).

Addresses are relative to the description itself, so they hold wherever the folder is
published with the files beside it in the same layout; `site.url` in ksctl.yaml is the
dataset's landing page. The publisher, licence and contact come from `site` too (the
site's title stands in for a publisher not given).
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

EU = "http://publications.europa.eu/resource/authority"
FILE_TYPES = {"CSV": "text/csv", "JSON": "application/json"}
KEYWORDS = (
    "kunskapsstyrning",
    "hälso- och sjukvård",
    "nationella programområden",
    "regioner",
    "sjukvårdsregioner",
    "kunskapsstöd",
)


@dataclass(frozen=True)
class Distribution:
    title: str
    description: str
    path: str  # relative to the description, or absolute
    file_type: str  # CSV or JSON
    conforms_to: str | None = None
    download: bool = True  # a single file to download (not a folder of tables)


def rdf_xml(
    *,
    title: str,
    description: str,
    publisher: str,
    modified: str,
    distributions: list[Distribution],
    license_url: str | None = None,
    contact: str | None = None,
    landing_page: str | None = None,
) -> str:
    """The description as RDF/XML text."""
    dataset = "dcat.rdf#dataset"
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        "<rdf:RDF",
        '  xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"',
        '  xmlns:dcat="http://www.w3.org/ns/dcat#"',
        '  xmlns:dcterms="http://purl.org/dc/terms/"',
        '  xmlns:foaf="http://xmlns.com/foaf/0.1/"',
        '  xmlns:vcard="http://www.w3.org/2006/vcard/ns#">',
        f"  <dcat:Catalog rdf:about={quoteattr('dcat.rdf#catalog')}>",
        f'    <dcterms:title xml:lang="sv">{escape(title)}</dcterms:title>',
        f'    <dcterms:description xml:lang="sv">Öppna data ur registret över {escape(title)}.'
        "</dcterms:description>",
        f"    <dcterms:publisher rdf:resource={quoteattr('dcat.rdf#publisher')}/>",
        f"    <dcat:dataset rdf:resource={quoteattr(dataset)}/>",
    ]
    if license_url:
        lines.append(f"    <dcterms:license rdf:resource={quoteattr(license_url)}/>")
    lines += [
        "  </dcat:Catalog>",
        f"  <foaf:Agent rdf:about={quoteattr('dcat.rdf#publisher')}>",
        f"    <foaf:name>{escape(publisher)}</foaf:name>",
        "  </foaf:Agent>",
        f"  <dcat:Dataset rdf:about={quoteattr(dataset)}>",
        f'    <dcterms:title xml:lang="sv">{escape(title)}</dcterms:title>',
        f'    <dcterms:description xml:lang="sv">{escape(description)}</dcterms:description>',
        f"    <dcterms:publisher rdf:resource={quoteattr('dcat.rdf#publisher')}/>",
        f'    <dcterms:modified rdf:datatype="http://www.w3.org/2001/XMLSchema#date">'
        f"{escape(modified)}</dcterms:modified>",
        f'    <dcat:theme rdf:resource="{EU}/data-theme/HEAL"/>',
        f'    <dcat:theme rdf:resource="{EU}/data-theme/GOVE"/>',
        f'    <dcterms:language rdf:resource="{EU}/language/SWE"/>',
        f'    <dcterms:spatial rdf:resource="{EU}/country/SWE"/>',
        f'    <dcterms:accessRights rdf:resource="{EU}/access-right/PUBLIC"/>',
    ]
    lines += [f'    <dcat:keyword xml:lang="sv">{escape(k)}</dcat:keyword>' for k in KEYWORDS]
    if landing_page:
        lines.append(f"    <dcat:landingPage rdf:resource={quoteattr(landing_page)}/>")
    if contact:
        lines += [
            "    <dcat:contactPoint>",
            "      <vcard:Organization>",
            f"        <vcard:fn>{escape(publisher)}</vcard:fn>",
            f"        <vcard:hasEmail rdf:resource={quoteattr('mailto:' + contact)}/>",
            "      </vcard:Organization>",
            "    </dcat:contactPoint>",
        ]
    for n, _ in enumerate(distributions):
        lines.append(f"    <dcat:distribution rdf:resource={quoteattr(f'dcat.rdf#dist-{n}')}/>")
    lines.append("  </dcat:Dataset>")
    for n, d in enumerate(distributions):
        lines += [
            f"  <dcat:Distribution rdf:about={quoteattr(f'dcat.rdf#dist-{n}')}>",
            f'    <dcterms:title xml:lang="sv">{escape(d.title)}</dcterms:title>',
            f'    <dcterms:description xml:lang="sv">{escape(d.description)}</dcterms:description>',
            f"    <dcat:accessURL rdf:resource={quoteattr(d.path)}/>",
            *([f"    <dcat:downloadURL rdf:resource={quoteattr(d.path)}/>"] if d.download else []),
            f'    <dcterms:format rdf:resource="{EU}/file-type/{d.file_type}"/>',
            f'    <dcat:mediaType rdf:resource="https://www.iana.org/assignments/media-types/'
            f'{FILE_TYPES[d.file_type]}"/>',
        ]
        if d.conforms_to:
            lines.append(f"    <dcterms:conformsTo rdf:resource={quoteattr(d.conforms_to)}/>")
        if license_url:
            lines.append(f"    <dcterms:license rdf:resource={quoteattr(license_url)}/>")
        lines.append("  </dcat:Distribution>")
    lines.append("</rdf:RDF>")
    return "\n".join(lines) + "\n"
