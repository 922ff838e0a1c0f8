"""What the forum puts in the search (core.search): its posts, under their thread's title,
read by the forum's own rule (hidden posts never)."""

from django.utils.translation import gettext_lazy as _

from maillage.core import search
from maillage.core.search import Indexed, SearchSource
from maillage.forum.models import Post
from maillage.forum.selectors import readable_posts


def _post(post: Post) -> Indexed:
    return Indexed(
        title=post.thread.title,
        text=post.body,
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
    )
)
