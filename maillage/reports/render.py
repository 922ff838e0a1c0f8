"""The report's blocks as files: a tagged PDF (WeasyPrint) and an ODT (odfpy)."""

import io

from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation

from maillage.reports.yearly import Block, ChartBlock, Heading, Paragraph, Table


def render_html(title: str, blocks: list[Block]) -> str:
    return render_to_string(
        "reports/yearly.html",
        {"title": title, "blocks": blocks, "LANGUAGE_CODE": translation.get_language()},
    )


def render_pdf(title: str, blocks: list[Block], attachments: dict[str, bytes]) -> bytes:
    """A PDF/UA-tagged PDF (its structure and text readable by assistive technologies and
    extractable), with the annexes attached inside it."""
    from weasyprint import HTML, Attachment  # imported here: it needs the Pango library

    return HTML(string=render_html(title, blocks)).write_pdf(
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        attachments=[
            Attachment(string=content, name=name, description=name)
            for name, content in attachments.items()
        ],
    )


def document_response(title: str, blocks: list[Block], kind: str, stem: str) -> HttpResponse:
    """The blocks as a download named `stem`: "pdf" or "odt" (another kind: not found)."""
    if kind == "pdf":
        response = HttpResponse(render_pdf(title, blocks, {}), content_type="application/pdf")
    elif kind == "odt":
        response = HttpResponse(
            render_odt(title, blocks), content_type="application/vnd.oasis.opendocument.text"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}.{kind}"'
    return response


def render_odt(title: str, blocks: list[Block]) -> bytes:
    """The same content as an OpenDocument text, editable in LibreOffice or Word: real headings
    (so the outline works), tables, and each chart as its data table."""
    from odf.draw import Frame, Image
    from odf.opendocument import OpenDocumentText
    from odf.style import (
        ParagraphProperties,
        Style,
        TableCellProperties,
        TableColumnProperties,
        TextProperties,
    )
    from odf.svg import Desc
    from odf.table import Table as OdfTable
    from odf.table import TableCell, TableColumn, TableRow
    from odf.text import H, P

    document = OpenDocumentText()
    heading_styles = {}
    for level, size in ((1, "20pt"), (2, "14pt"), (3, "11pt")):
        style = Style(name=f"Heading_20_{level}", family="paragraph", defaultoutlinelevel=level)
        style.addElement(TextProperties(fontsize=size, fontweight="bold", color="#000091"))
        style.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
        document.styles.addElement(style)
        heading_styles[level] = style
    caption = Style(name="Caption", family="paragraph")
    caption.addElement(TextProperties(fontweight="bold"))
    document.styles.addElement(caption)
    cell_style = Style(name="Cell", family="table-cell")
    cell_style.addElement(TableCellProperties(border="0.5pt solid #929292", padding="0.05cm"))
    document.automaticstyles.addElement(cell_style)
    column_style = Style(name="Column", family="table-column")
    column_style.addElement(TableColumnProperties(useoptimalcolumnwidth="true"))
    document.automaticstyles.addElement(column_style)

    def table(caption_text: str, header: list[str], rows: list[list[str]]) -> None:
        document.text.addElement(P(stylename=caption, text=caption_text))
        element = OdfTable(name=caption_text[:60])
        element.addElement(TableColumn(numbercolumnsrepeated=len(header), stylename=column_style))
        for cells in [header, *rows]:
            row = TableRow()
            for cell_text in cells:
                cell = TableCell(stylename=cell_style, valuetype="string")
                cell.addElement(P(text=str(cell_text)))
                row.addElement(cell)
            element.addElement(row)
        document.text.addElement(element)

    document.text.addElement(H(outlinelevel=1, stylename=heading_styles[1], text=title))
    for block in blocks:
        if isinstance(block, Heading):
            level = block.level
            document.text.addElement(
                H(outlinelevel=level, stylename=heading_styles[level], text=block.text)
            )
        elif isinstance(block, Paragraph):
            for line in block.text.splitlines() or [""]:
                document.text.addElement(P(text=line))
        elif isinstance(block, Table):
            table(block.caption, block.header, block.rows)
        elif isinstance(block, ChartBlock):
            chart = block.chart
            document.text.addElement(P(stylename=caption, text=chart.title))
            document.text.addElement(P(text=chart.summary))
            if chart.bars:
                svg = render_to_string("reports/includes/chart_svg.html", {"chart": chart})
                href = document.addPicture(
                    f"Pictures/{chart.id}.svg", "image/svg+xml", svg.encode()
                )
                frame = Frame(
                    width="16cm",
                    height=f"{16 * chart.height / chart.width:.2f}cm",
                    anchortype="as-char",
                    name=chart.id,
                )
                frame.addElement(Image(href=href))
                frame.addElement(Desc(text=chart.summary))
                picture = P()
                picture.addElement(frame)
                document.text.addElement(picture)
                table(
                    chart.title, ["", chart.column], [[bar.label, bar.text] for bar in chart.bars]
                )
    output = io.BytesIO()
    document.write(output)
    return output.getvalue()
