from maillage.core.templatetags.maillage_forms import select_options


def test_select_options_escape_and_mark_the_current_choice():
    written = select_options([(1, "Brest <métropole>"), (2, 'Morlaix "Communauté"')], 2)
    assert written == (
        '<option value="1">Brest &lt;métropole&gt;</option>'
        '<option value="2" selected>Morlaix &quot;Communauté&quot;</option>'
    )


def test_select_options_take_objects_and_text_values():
    node = type("Node", (), {"pk": 7, "__str__": lambda self: "4.1 Mobilités & co"})()
    assert select_options([node], None) == '<option value="7">4.1 Mobilités &amp; co</option>'
    assert select_options([("late", "En retard")], "late") == (
        '<option value="late" selected>En retard</option>'
    )
    assert select_options([], "x") == ""
