import pytest

from courses.markdown import render_markdown

XSS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<svg onload=alert(1)>",
    '<iframe src="https://evil.example"></iframe>',
    "![x](javascript:alert(1))",
]


@pytest.mark.parametrize("payload", XSS)
def test_dangerous_input_is_neutralised(payload):
    html = str(render_markdown(payload)).lower()
    assert "<script" not in html
    assert "onerror" not in html and "onload" not in html
    assert "javascript:" not in html
    assert "data:text" not in html
    assert "<iframe" not in html and "<img" not in html and "<svg" not in html


def test_ordinary_markdown_renders():
    html = str(render_markdown("# Title\n\nSome **bold** and a [link](https://example.org).\n\n- one\n- two"))
    assert "<h2>Title</h2>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer nofollow"' in html
    assert "<li>one</li>" in html
