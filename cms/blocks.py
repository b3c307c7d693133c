"""StreamField blocks shared by the page types."""

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"), choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms/blocks/heading_block.html"


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/captioned_image_block.html"


class AttachmentBlock(blocks.StructBlock):
    """A document offered for download, with a title readers see in the list."""

    title = blocks.CharBlock(label=_("title"), max_length=250)
    document = DocumentChooserBlock(label=_("document"))

    class Meta:
        icon = "doc-full"
        label = _("Attachment")
        template = "cms/blocks/attachment_block.html"


class NoticeBlock(blocks.StructBlock):
    """A highlighted note, such as a deadline or a change of status."""

    text = blocks.TextBlock(label=_("text"))

    class Meta:
        icon = "warning"
        label = _("Notice")
        template = "cms/blocks/notice_block.html"


RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]


class BodyStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(label=_("Paragraph"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    image = CaptionedImageBlock()
    attachment = AttachmentBlock()
    notice = NoticeBlock()


class AttachmentStreamBlock(blocks.StreamBlock):
    attachment = AttachmentBlock()


def stream_to_text(stream_value):
    """The plain text of a StreamField value, for search and summaries."""
    if not stream_value:
        return ""
    return " ".join(strip_tags(str(stream_value.render_as_block())).split())
