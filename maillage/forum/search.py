"""What the forum puts in the search (core.search): its posts — their text and the words of
their attachment —, under their thread's title, read by the forum's own rule (hidden posts
never)."""

from django.utils.translation import gettext_lazy as _

from maillage.core import search
from maillage.core.extraction import extract_text
from maillage.core.search import Indexed, SearchSource
from maillage.forum.models import Post
from maillage.forum.selectors import readable_posts


def _post(post: Post) -> Indexed:
    text = [post.body]
    if post.attachment:
        with post.attachment.open("rb") as file:
            text.append(extract_text(file, post.attachment.name))
    return Indexed(
        title=post.thread.title,
        text="\n".join(text),
        cooperation_id=post.thread.space.cooperation_id,
        date=post.created_at,
    )


search.register(
    SearchSource(
        key="post",
        label=_("Messages du forum"),
        model=Post,
        describe=_post,
        readable=readable_posts,
        rows=lambda: Post.objects.select_related("thread__space"),
        deferred=True,  # the words of an attachment take time to read: the task worker's
    )
)
