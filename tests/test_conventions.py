"""Minutes conventions as plug-ins (agenda.conventions) and what they share.

Pure Python, no database. Every input is written here and invented; the
synthetic documents of tests/corpus are checked in test_corpus.py.
"""

import datetime

import pytest

from agenda import conventions
from agenda.conventions import base
from agenda.parsing import Check, Person, parse_document, parse_remarks, split_names


def lines(*rows):
    return "\n".join(rows)


def speeches(document_or_remarks):
    remarks = getattr(document_or_remarks, "remarks", document_or_remarks)
    return [
        (block.speaker.label, block.statements)
        for block in remarks.blocks
        if block.kind == "speech"
    ]


def kinds(remarks):
    return [
        (block.kind, block.speaker.label if block.speaker else None, block.statements)
        for block in remarks.blocks
    ]


def assert_every_line_has_one_home(text, document):
    """Each non-blank line: in the overview, a block, unplaced or dropped - once."""
    homes = {}
    places = [
        *[(n, "overview") for n in document.consumed],
        *[(n, f"block {i}") for i, b in enumerate(document.remarks.blocks) for n in b.lines],
        *[(u.line, "unplaced") for u in [*document.unplaced, *document.remarks.unplaced]],
        *[(u.line, "dropped") for u in document.remarks.dropped],
    ]
    for number, where in places:
        homes.setdefault(number, []).append(where)
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            assert len(homes.get(number, [])) == 1, (number, line, homes.get(number))


# --- The plug-in interface ---------------------------------------------------


def test_each_convention_is_a_module_with_the_same_small_interface():
    names = [convention.name for convention in conventions.CONVENTIONS]

    assert sorted(names) == sorted(
        ["reference", "transcript", "parenthesised", "own_line", "summary", "english"]
    )
    for convention in conventions.CONVENTIONS:
        assert callable(convention.detect)
        assert callable(convention.parse)
        assert callable(convention.remarks_start)
        assert callable(convention.read_body)


SAMPLES = {
    "reference": lines("<간사>", "- 개회함.", "<위원장>", "- 인사말씀", "<000위원>", "- 질문함."),
    "transcript": lines(
        "○위원장 홍길동  개의하겠습니다.",
        "○김철수 위원  질의합니다.",
        "○위원장 홍길동  답변하세요.",
    ),
    "parenthesised": lines(
        "(위원장 홍길동) 말씀드리겠습니다.",
        "(김철수 위원) 질의합니다.",
        "(위원장 홍길동) 좋습니다.",
    ),
    "own_line": lines(
        "위원장 홍길동",
        "개의하겠습니다.",
        "",
        "김철수 위원",
        "질의합니다.",
        "",
        "위원장 홍길동",
        "좋습니다.",
    ),
    "summary": lines(
        "1. 회의개요",
        "  가. 일 시 : 2031. 3. 4.(화) 14:00~15:00",
        "2. 회의내용",
        "  ○ 김철수 위원",
        "    - 질의함.",
        "  □ 의결 결과 : 원안 의결",
    ),
    "english": lines(
        "CITY COUNCIL MINUTES",
        "1. RESOLUTION NO. 7",
        "Councilmember Ortiz asked about the cost.",
        "A motion offered by Councilmember Ortiz, duly seconded by Councilmember Blake.",
        "RESULT: ADOPTED [5 TO 0]",
        "AYES: Ortiz, Blake",
    ),
}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_the_highest_confidence_chooses_the_convention(name):
    document = parse_document(SAMPLES[name])

    assert document.convention == name
    assert document.remarks.convention == name
    assert 0.5 <= document.confidence <= 1


def test_a_document_without_remarks_is_read_without_error_and_with_no_confidence():
    document = parse_document(lines("일 시 : 2031. 3. 4.(화) 14:00", "아무 말도 없는 문서"))

    assert document.confidence == 0
    assert document.overview.day == datetime.date(2031, 3, 4)
    assert [u.text for u in document.unplaced] == ["아무 말도 없는 문서"]


def test_missing_overview_fields_become_checks():
    document = parse_document(SAMPLES["transcript"])

    topics = {check.topic for check in document.checks if check.reason == "missing"}
    assert {"title", "day", "starts", "place", "attendees"} <= topics


# --- Transcript speakers: spacing variants and roles --------------------------


@pytest.mark.parametrize(
    ("line", "label", "name", "role", "speech"),
    [
        (
            "○위원장 홍길동  성원이 되었습니다.",
            "위원장 홍길동",
            "홍길동",
            "위원장",
            "성원이 되었습니다.",
        ),
        (
            "○위원장 홍길동\t성원이 되었습니다.",
            "위원장 홍길동",
            "홍길동",
            "위원장",
            "성원이 되었습니다.",
        ),
        (
            "○위원장 홍길동 의석을 정돈해 주시기 바랍니다.",
            "위원장 홍길동",
            "홍길동",
            "위원장",
            "의석을 정돈해 주시기 바랍니다.",
        ),
        (
            "○위원장직무대행 홍길동  회의를 속개하겠습니다.",
            "위원장직무대행 홍길동",
            "홍길동",
            "위원장직무대행",
            "회의를 속개하겠습니다.",
        ),
        (
            "○위원장직무대행 홍길동 회의를 속개하겠습니다.",
            "위원장직무대행 홍길동",
            "홍길동",
            "위원장직무대행",
            "회의를 속개하겠습니다.",
        ),
        (
            "○부위원장 김철수 말씀드립니다.",
            "부위원장 김철수",
            "김철수",
            "부위원장",
            "말씀드립니다.",
        ),
        (
            "○전문위원 김○○ 검토보고 드리겠습니다.",
            "전문위원 김○○",
            "",
            "전문위원",
            "검토보고 드리겠습니다.",
        ),
        (
            "○기획조정실장 이○○ 답변드리겠습니다.",
            "기획조정실장 이○○",
            "",
            "기획조정실장",
            "답변드리겠습니다.",
        ),
    ],
)
def test_transcript_speakers_in_every_spacing_and_role(line, label, name, role, speech):
    (block,) = parse_remarks(line).blocks

    assert (block.speaker.label, block.speaker.name, block.speaker.role) == (label, name, role)
    assert block.statements == [speech]


def test_an_office_name_and_rank_is_one_speaker():
    (block,) = parse_remarks("○의사팀 한가람 주무관 안녕하십니까? 집회 보고를 드리겠습니다.").blocks

    assert (block.speaker.label, block.speaker.name, block.speaker.role) == (
        "의사팀 한가람 주무관",
        "한가람",
        "의사팀 주무관",
    )
    assert block.statements == ["안녕하십니까? 집회 보고를 드리겠습니다."]


def test_a_record_without_the_circle_is_a_transcript_when_role_and_name_stand_at_the_margin():
    remarks = parse_remarks(
        lines(
            "소위원장 남보라  성원이 되었으므로 개의하겠습니다.",
            "",
            " 오늘은 첫 회의입니다.",
            "",
            "이한결 위원  이한결 위원입니다.",
            "",
            "재정부제2차관 오다원  안녕하십니까?",
        )
    )

    assert remarks.convention == "transcript"
    assert speeches(remarks) == [
        ("소위원장 남보라", ["성원이 되었으므로 개의하겠습니다.", "오늘은 첫 회의입니다."]),
        ("이한결 위원", ["이한결 위원입니다."]),
        ("재정부제2차관 오다원", ["안녕하십니까?"]),
    ]


def test_an_attendance_list_after_the_remarks_is_not_a_speaker():
    text = lines(
        "○위원장 홍길동  산회를 선포합니다.",
        "○출석위원 (3인)",
        "홍길동김철수이영희",
        "○김철수 위원  질의합니다.",
    )
    document = parse_document(text)

    assert speeches(document) == [("위원장 홍길동", ["산회를 선포합니다."])]
    assert document.overview.attendee_count == 3
    # Only 홍길동 spoke: the other two names cannot be told apart with certainty.
    assert [person.name for person in document.overview.attendees] == ["홍길동김철수이영희"]
    assert [(u.line, u.reason) for u in document.unplaced] == [(4, "unrecognised_closing_line")]


# --- Other conventions -------------------------------------------------------


def test_parenthesised_speakers_and_a_parenthesised_direction():
    remarks = parse_remarks(
        lines(
            "(위원장 홍길동) 말씀드리겠습니다.",
            "이어서 설명하겠습니다.",
            "(10시 12분)",
            "(김철수 위원)",
            "질의합니다.",
        )
    )

    assert kinds(remarks) == [
        ("speech", "위원장 홍길동", ["말씀드리겠습니다. 이어서 설명하겠습니다."]),
        ("direction", None, ["(10시 12분)"]),
        ("speech", "김철수 위원", ["질의합니다."]),
    ]


def test_own_line_speakers_take_the_paragraphs_after_them():
    remarks = parse_remarks(
        lines(
            "위원장 홍길동",
            "개의하겠습니다.",
            "",
            "두 번째 문단입니다.",
            "",
            "김철수 위원",
            "질의합니다.",
        )
    )

    assert speeches(remarks) == [
        ("위원장 홍길동", ["개의하겠습니다.", "두 번째 문단입니다."]),
        ("김철수 위원", ["질의합니다."]),
    ]


def test_summary_minutes_give_headings_speakers_and_result_lines():
    document = parse_document(
        lines(
            "1. 회의개요",
            "  가. 일 시 : 2031. 3. 4.(화) 14:00～15:30",
            "  나. 장 소 : 본관 3층 소회의실",
            "2. 안건",
            "  가. 2031년 누리 기본계획(안) 심의",
            "3. 회의내용",
            "  가. 2031년 누리 기본계획(안) 심의",
            "    ○ 김철수 위원",
            "      - 예산 근거를 질의함.",
            "    ○ 담당과장 : 국비 매칭이라고 답변함.",
            "    □ 의결 결과 : 원안 의결",
        )
    )

    assert document.convention == "summary"
    assert document.overview.agenda == [("deliberation", 1, "2031년 누리 기본계획(안) 심의")]
    assert kinds(document.remarks) == [
        ("heading", None, ["가. 2031년 누리 기본계획(안) 심의"]),
        ("speech", "김철수 위원", ["예산 근거를 질의함."]),
        ("speech", "담당과장", ["국비 매칭이라고 답변함."]),
        ("direction", None, ["□ 의결 결과 : 원안 의결"]),
    ]
    (resolution,) = document.resolutions
    assert (resolution.outcome, resolution.agenda) == ("passed", 0)


# --- The overview in every convention ----------------------------------------


@pytest.mark.parametrize(
    ("row", "day", "starts", "ends"),
    [
        ("일 시 2031년 03월 04일 (화) 14시05분", (2031, 3, 4), (14, 5), None),
        ("2031년3월4일(화)14시05분", (2031, 3, 4), (14, 5), None),
        ("일시 : 2031. 3. 4.(화), 14:00～15:00", (2031, 3, 4), (14, 0), (15, 0)),
        ("### 일 시 : 2031. 3. 4.(화) 14:00~15:00", (2031, 3, 4), (14, 0), (15, 0)),
        ("\uf06c 일  시 : 2031. 3. 4.(화) 14:00~15:00", (2031, 3, 4), (14, 0), (15, 0)),
        ("◆ 회의일시：2031년 3월 4일(화) 오후 2시 ~ 오후 3시", (2031, 3, 4), (14, 0), (15, 0)),
    ],
)
def test_the_date_is_read_with_or_without_label_colon_and_spaces(row, day, starts, ends):
    text = lines(row, "○위원장 홍길동  개의하겠습니다.")
    document = parse_document(text)
    overview = document.overview

    assert overview.day == datetime.date(*day)
    assert overview.starts == datetime.time(*starts)
    assert overview.ends == (datetime.time(*ends) if ends else None)
    assert document.unplaced == []
    assert_every_line_has_one_home(text, document)


def test_a_letter_spaced_label_split_by_pdf_extraction_is_joined():
    text = lines(
        " 일", "시 : 2031. 3. 4.(화), 14:00～15:00", " 장", "소 : 본관 소회의실", "<간사>", "- 개회"
    )
    document = parse_document(text)

    assert document.overview.day == datetime.date(2031, 3, 4)
    assert document.overview.place == "본관 소회의실"
    assert document.unplaced == []
    assert_every_line_has_one_home(text, document)


def test_the_end_time_comes_from_the_closing_mark_and_an_unlabelled_place_is_read():
    document = parse_document(
        lines(
            "2031년 3월 4일(화) 14시",
            "본관 3층 소회의실",
            "(14시 03분 개의)",
            "○위원장 홍길동  개의하겠습니다.",
            "(15시40분 산회)",
        )
    )

    overview = document.overview
    assert (overview.starts, overview.ends) == (datetime.time(14), datetime.time(15, 40))
    assert overview.place == "본관 3층 소회의실"


@pytest.mark.parametrize(
    ("rows", "title", "session", "sequence"),
    [
        (["제312회 누리시의회(임시회) 제2차 본회의 회의록"], None, 312, 2),
        (["제287회 가온시의회(임시회)", "기획행정위원회 회의록", "제3호"], None, 287, 3),
        (["2030년 1차 누리위원회 회의록"], None, None, 1),
    ],
)
def test_meetings_are_numbered_in_each_written_form(rows, title, session, sequence):
    text = lines(*rows, "○위원장 홍길동  개의하겠습니다.")
    document = parse_document(text)

    assert document.overview.title == " ".join(rows)
    assert (document.overview.session, document.overview.sequence) == (session, sequence)
    assert document.unplaced == []


def test_of_several_lines_naming_the_minutes_the_numbered_one_is_the_title_and_none_vanish():
    text = lines(
        "별첨 회의록 목록",
        "2031년 제5차 누리위원회 회의록",
        "누리위원회 회의록 보관용",
        "○위원장 홍길동  개의하겠습니다.",
    )
    document = parse_document(text)

    assert document.overview.title == "2031년 제5차 누리위원회 회의록"
    assert [u.text for u in document.unplaced] == ["별첨 회의록 목록", "누리위원회 회의록 보관용"]
    assert_every_line_has_one_home(text, document)


def test_a_sentence_about_the_minutes_said_twice_is_content_not_a_running_header():
    remarks = parse_document(
        lines(
            "위원장 홍길동",
            "회의록 서명 위원을 선출하겠습니다.",
            "",
            "김철수 위원",
            "회의록 서명 위원을 선출하겠습니다.",
        )
    ).remarks

    assert remarks.dropped == []
    assert [statements for _label, statements in speeches(remarks)] == [
        ["회의록 서명 위원을 선출하겠습니다."]
    ] * 2


def test_a_footer_printed_once_beside_a_page_number_is_dropped():
    document = parse_document(
        lines("<간사>", "- 보고함.", "누리위원회 회의록", "- 2 -", "<위원장>", "- 마침.")
    )

    assert [(u.line, u.reason) for u in document.remarks.dropped] == [
        (3, "page_header"),
        (4, "page_number"),
    ]


# --- Attendance and agenda lists ---------------------------------------------


def test_the_simple_attendance_line_gives_people_with_their_roles():
    document = parse_document(
        lines("출석위원 : 위원장 홍길동, 위원 김철수․이영희", "○위원장 홍길동  개의합니다.")
    )

    assert document.overview.attendees == [
        Person("홍길동", "위원장"),
        Person("김철수", "위원"),
        Person("이영희", "위원"),
    ]


def test_closing_lists_give_attendees_and_officials_with_names_split_by_the_speakers():
    text = lines(
        "○위원장 홍길동  질의하십시오.",
        "○김철수 위원  질의합니다.",
        "○이영희 위원  저도 질의합니다.",
        "○기획조정실장 이○○  답변합니다.",
        "○출석위원 (4인)",
        "홍길동김철수박민수이영희",
        "○출석공무원",
        "기획조정실장 이○○  예산담당관 최지훈",
        "○출석전문위원",
        "전문위원 김○○",
    )
    document = parse_document(text)
    overview = document.overview

    assert [p.name for p in overview.attendees] == ["홍길동", "김철수", "박민수", "이영희"]
    assert overview.officials == [
        Person("이○○", "기획조정실장"),
        Person("최지훈", "예산담당관"),
        Person("김○○", "전문위원"),
    ]
    assert all(check.reason == "missing" for check in document.checks)
    assert_every_line_has_one_home(text, document)


def test_names_that_cannot_be_split_with_certainty_are_kept_and_checked():
    document = parse_document(
        lines("○위원장 홍길동  산회합니다.", "○출석위원 (3인)", "남궁민수서지안오하늘")
    )

    assert [p.name for p in document.overview.attendees] == ["남궁민수서지안오하늘"]
    assert Check("attendees", "names_run_together", 3, "남궁민수서지안오하늘") in document.checks


@pytest.mark.parametrize(
    ("run", "known", "names"),
    [
        ("홍길동김철수이영희", ["홍길동", "김철수", "이영희"], ["홍길동", "김철수", "이영희"]),
        ("홍길동김철수이영희", ["홍길동", "이영희"], ["홍길동", "김철수", "이영희"]),
        ("남궁민수김철수", ["김철수"], None),  # 남궁민수 or 남궁 + 민수: not certain
        ("홍길동김철수", [], None),  # nothing known: no split is certain
        ("홍길동김철수박민수이영희", ["홍길동", "이영희"], None),  # six unknown syllables
        ("봉세진김○○", ["봉세진"], ["봉세진", "김○○"]),
    ],
)
def test_split_names_only_splits_with_certainty(run, known, names):
    assert split_names(run, known) == names


@pytest.mark.parametrize("key", ["의사일정", "심사된 안건", "부의된 안건"])
def test_agenda_lists_on_the_cover_are_read(key):
    document = parse_document(
        lines(
            key,
            "1. 누리시 청년 조례안",
            "2. 누리시 공유재산 관리계획 변경안",
            "○위원장 홍길동  개의합니다.",
        )
    )

    assert document.overview.agenda == [
        ("deliberation", 1, "누리시 청년 조례안"),
        ("deliberation", 2, "누리시 공유재산 관리계획 변경안"),
    ]
    assert document.unplaced == []


# --- Stage directions and agenda headings ------------------------------------


@pytest.mark.parametrize(
    "direction",
    [
        "(10시 12분)",
        "(10시54분 회의중지)",
        "(11시 5분 계속개의)",
        "<‘예’ 하는 위원 있음>",
        "<“없습니다” 하는 위원 있음>",
        "(“예” 하는 위원 있음)",
        "(홍길동 위원장직무대행, 김철수 위원장과 사회교대)",
        "(의사봉 3타)",
    ],
)
@pytest.mark.parametrize("convention", ["transcript", "own_line", "parenthesised", "reference"])
def test_a_stage_direction_is_never_in_anybodys_mouth(direction, convention):
    speaker = {
        "transcript": "○위원장 홍길동  말씀드립니다.",
        "own_line": "위원장 홍길동\n말씀드립니다.",
        "parenthesised": "(위원장 홍길동) 말씀드립니다.",
        "reference": "<위원장>\n- 말씀드립니다.",
    }[convention]
    remarks = parse_remarks(lines(speaker, direction, speaker))

    assert remarks.convention == convention
    assert [kind for kind, _label, _statements in kinds(remarks)] == [
        "speech",
        "direction",
        "speech",
    ]
    assert remarks.blocks[1].statements == [direction]  # as printed, brackets included


def test_agenda_headings_link_to_the_cover_list_or_add_an_item():
    document = parse_document(
        lines(
            "의사일정",
            "1. 누리시 청년 조례안",
            "○위원장 홍길동  개의합니다.",
            "1. 누리시 청년 조례안(김철수 의원 대표발의)",
            "○위원장 홍길동  상정합니다.",
            "○5분 자유발언(이영희 의원)",
            "○이영희 의원  발언하겠습니다.",
        )
    )

    headings = [b for b in document.remarks.blocks if b.kind == "heading"]
    assert [(b.statements, b.agenda, b.speaker) for b in headings] == [
        (["1. 누리시 청년 조례안(김철수 의원 대표발의)"], 0, None),
        (["○5분 자유발언(이영희 의원)"], 1, None),
    ]
    assert document.overview.agenda[1] == ("report", 1, "5분 자유발언(이영희 의원)")
    assert speeches(document)[-1] == ("이영희 의원", ["발언하겠습니다."])


# --- Resolutions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "declaration"),
    [
        ("선임 방법에 이의 없으십니까?", "그러면 위원장이 지명하는 방법으로 선임하겠습니다."),
        ("질의 없습니까?", "질의를 마치겠습니다."),
        ("질의와 토론을 종결하고자 하는데 이의 없으십니까?", "종결되었음을 알려 드립니다."),
    ],
)
def test_procedural_consents_are_statements_not_resolutions(question, declaration):
    document = parse_document(
        lines(
            f"○위원장 홍길동  {question}",
            "(“없습니다” 하는 위원 있음)",
            f"    {declaration}",
        )
    )

    assert document.resolutions == []
    assert speeches(document)[0] == ("위원장 홍길동", [question])


def test_a_decision_is_linked_to_the_item_of_the_heading_above_it():
    document = parse_document(
        lines(
            "의사일정",
            "1. 누리시 청년 조례안",
            "2. 누리시 도서관 조례안",
            "○위원장 홍길동  개의합니다.",
            "2. 누리시 도서관 조례안",
            "○위원장 홍길동  이 안건을 원안대로 가결하고자 하는데 이의 없으십니까?",
            "<“없습니다” 하는 위원 있음>",
            "○위원장 홍길동  가결되었음을 선포합니다.",
        )
    )

    (resolution,) = document.resolutions
    assert (resolution.outcome, resolution.agenda, resolution.item_number) == ("passed", 1, None)


def test_a_decision_is_linked_by_the_item_it_names():
    document = parse_document(
        lines(
            "의사일정",
            "1. 누리시 청년 조례안",
            "2. 누리시 도서관 조례안",
            "○위원장 홍길동  의사일정 제2항을 수정안대로 의결하고자 하는데 이의 없으십니까?",
            "(“없습니다” 하는 위원 있음)",
            "    수정가결되었음을 선포합니다.",
        )
    )

    (resolution,) = document.resolutions
    assert (resolution.outcome, resolution.agenda) == ("passed_as_amended", 1)


def test_a_counted_vote_declared_without_a_question_is_a_resolution():
    (resolution,) = parse_document(
        "○의장 윤서하  찬성 4인, 반대 5인으로 의사일정 제1항은 부결되었음을 선포합니다."
    ).resolutions

    assert (resolution.method, resolution.outcome, resolution.votes) == (
        "show_of_hands",
        "rejected",
        (4, 5, 0),
    )


# --- Joining lines across a break --------------------------------------------


@pytest.mark.parametrize(
    ("before", "after", "joined", "uncertain"),
    [
        (
            "예산을 심사하는 위원회",
            "는 오늘 열립니다.",
            "예산을 심사하는 위원회는 오늘 열립니다.",
            False,
        ),
        ("질문이 있으", "시면 말씀하십시오.", "질문이 있으시면 말씀하십시오.", False),
        ("위험도 커", "집니다.", "위험도 커집니다.", False),
        ("기본계획(안)", "을 심의하였습니다.", "기본계획(안)을 심의하였습니다.", False),
        ("기본계획(안)", "심의 결과입니다.", "기본계획(안) 심의 결과입니다.", False),
        (
            "예산을 확보하였습니다.",
            "다음은 인력입니다.",
            "예산을 확보하였습니다. 다음은 인력입니다.",
            False,
        ),
    ],
)
def test_a_particle_or_ending_continues_the_word_and_punctuation_ends_it(
    before, after, joined, uncertain
):
    separator, unsure = base.join(before, after, width=None, default=" ")

    assert before + separator + after == joined
    assert unsure is uncertain


def test_in_wrapped_text_a_short_line_ended_a_word_and_a_full_one_is_uncertain():
    width = 40
    assert base.join("짧은 줄", "다음 줄", width=width, default=" ") == (" ", False)
    full = "가" * 39 + "나"
    assert base.join(full, "다음 줄", width=width, default=" ") == (" ", True)


def test_the_reference_convention_joins_page_cut_words_without_a_space_and_checks_nothing():
    document = parse_document(
        lines("<000위원>", "- 소방차의 진", "- 3 -", "입 경로를 고려해야 함.")
    )

    assert speeches(document) == [("000위원", ["소방차의 진입 경로를 고려해야 함."])]
    assert [check for check in document.checks if check.topic == "line"] == []


def test_an_uncertain_join_in_a_transcript_is_a_check_on_the_continued_line():
    text = lines(
        "○위원장 홍길동  작은도",
        "    서관 지원은 언제 시행됩니까?",
    )
    document = parse_document(text)

    assert speeches(document) == [("위원장 홍길동", ["작은도 서관 지원은 언제 시행됩니까?"])]
    assert Check("line", "joined_across_break", 2, "서관 지원은 언제 시행됩니까?") in (
        document.checks
    )


# --- English council minutes -------------------------------------------------


def test_english_minutes_give_roll_call_turns_motions_and_recorded_votes():
    text = lines(
        "CITY OF RIVERTON",
        "CITY COUNCIL MINUTES",
        "March 4, 2031 - 7:00 PM",
        "Council Chambers",
        "Present: Mayor Dana Whitfield, Councilmembers Lena Ortiz and Sam Blake",
        "1. ORDINANCE NO. 3 PARKING",
        "Councilmember Blake asked whether residents were consulted.",
        "City Manager Reyes: We mailed notices",
        "to every house.",
        "",
        "Staff then showed a map.",
        "A motion offered by Councilmember Ortiz, duly seconded by Councilmember Blake, to adopt",
        "the ordinance.",
        "RESULT: FAILED [1 TO 2]",
        "NAYS: Whitfield, Blake",
    )
    document = parse_document(text)

    assert document.convention == "english"
    assert (document.overview.title, document.overview.committee) == (
        "CITY OF RIVERTON CITY COUNCIL MINUTES",
        "City Council",
    )
    assert document.overview.day == datetime.date(2031, 3, 4)
    assert document.overview.starts == datetime.time(19)
    assert [p.name for p in document.overview.attendees] == [
        "Dana Whitfield",
        "Lena Ortiz",
        "Sam Blake",
    ]
    assert speeches(document) == [
        ("Councilmember Blake", ["Councilmember Blake asked whether residents were consulted."]),
        ("City Manager Reyes", ["We mailed notices to every house."]),
    ]
    # A paragraph that names nobody is not credited to the last speaker.
    assert [(u.line, u.reason) for u in document.remarks.unplaced] == [(11, "no_speaker")]
    (resolution,) = document.resolutions
    assert (resolution.outcome, resolution.votes, resolution.agenda) == ("rejected", (1, 2, 0), 0)
    assert resolution.question.endswith("to adopt the ordinance.")
    assert_every_line_has_one_home(text, document)


def test_a_transcript_in_chinese_characters_imports_with_every_turn():
    text = lines(
        "第31回 松原市議會(臨時會)",
        "松原市議會本會議會議錄",
        "第3號",
        "",
        "日 時 : 1994年 9月 13日 (火) 午後 2時",
        "",
        "(14時 05分 開議)",
        "○議長 朴重煥 議席을 整頓하여 주시기 바랍니다.",
        "○議事擔當官 成允道 報告事項을 말씀 드리겠습니다.",
        "(國旗에 向하야 敬禮, 默念)",
        "○議長(朴重煥) 會議錄에 對해서 修正할 것 있으면 말씀하시요.",
        "○書記 第二次 會議錄 朗讀",
        "○韓啓源議員 會議錄 거기에 動議라고 쓰인 것같이 들렸습니다.",
    )

    document = parse_document(text)

    assert document.convention == "transcript"
    assert [
        (block.speaker.name, block.speaker.role)
        for block in document.remarks.blocks
        if block.kind == "speech"
    ] == [
        ("朴重煥", "議長"),
        ("成允道", "議事擔當官"),
        ("朴重煥", "議長"),
        ("", "書記"),
        ("韓啓源", "議員"),
    ]
    overview = document.overview
    assert overview.day == datetime.date(1994, 9, 13)
    assert overview.starts == datetime.time(14, 0)
    assert (overview.session, overview.sequence) == (31, 3)
    assert overview.department == ""
    assert [b.statements for b in document.remarks.blocks if b.kind == "direction"] == [
        ["(14時 05分 開議)"],
        ["(國旗에 向하야 敬禮, 默念)"],
    ]
    assert not document.remarks.unplaced
    assert_every_line_has_one_home(text, document)


def test_a_stage_direction_on_the_cover_is_no_department():
    text = lines(
        "第31回 松原市議會 本會議會議錄",
        "(國旗에 向하야 敬禮, 默念)",
        "○議長 朴重煥 開會하겠습니다.",
    )

    document = parse_document(text)

    assert document.overview.department == ""


@pytest.mark.parametrize(
    ("label", "name", "role"),
    [
        ("議長 金正浩", "金正浩", "議長"),
        ("議長(金正浩)", "金正浩", "議長"),
        ("議事擔當官 李泰錫", "李泰錫", "議事擔當官"),
        ("鄭英洙議員", "鄭英洙", "議員"),
        ("事務局長 南宮準", "南宮準", "事務局長"),
        ("書記", "", "書記"),
    ],
)
def test_speaker_labels_in_chinese_characters_give_name_and_role(label, name, role):
    speaker = parse_remarks(f"○{label}  말씀드리겠습니다.").blocks[0].speaker

    assert (speaker.name, speaker.role) == (name, role)


def test_a_name_ending_like_a_particle_is_a_name_when_it_recurs_after_the_same_role():
    remarks = parse_remarks(
        lines(
            "○임시의장 조태만 지금은 이 조문을 축조해서 읽겠습니다.",
            "○하윤석 의원 축조해서 통과하기를 동의합니다.",
            "○임시의장 조태만 동의 재청했으니까 의견 있어요?",
            "○의장 이제 표결하겠습니다.",
            "○의장 이제 표결을 마치겠습니다.",
        )
    )

    assert [(b.speaker.name, b.speaker.role, b.statements[0][:6]) for b in remarks.blocks] == [
        ("조태만", "임시의장", "지금은 이 "),
        ("하윤석", "의원", "축조해서 통"),
        ("조태만", "임시의장", "동의 재청했"),
        ("", "의장", "이제 표결하"),
        ("", "의장", "이제 표결을"),
    ]


def test_a_name_ending_like_a_particle_is_a_name_when_the_attendance_list_has_it():
    document = parse_document(
        lines(
            "제5회 누리군의회 본회의 회의록",
            "출석의원 : 의장 구재만, 의원 하윤석",
            "",
            "○의장 구재만 개의하겠습니다.",
            "○하윤석 의원 동의합니다.",
        )
    )

    first = document.remarks.blocks[0].speaker
    assert (first.label, first.name, first.role) == ("의장 구재만", "구재만", "의장")
    assert document.remarks.blocks[0].statements == ["개의하겠습니다."]


@pytest.mark.parametrize(
    "line",
    ["○의회사무국 도은비  의회사무국 도은비입니다.", "○의회사무국 도은비 의회사무국 도은비입니다."],
)
def test_an_office_then_a_name_is_the_office_speaking_through_that_person(line):
    block = parse_remarks(line).blocks[0]

    assert (block.speaker.name, block.speaker.role) == ("도은비", "의회사무국")
    assert block.statements == ["의회사무국 도은비입니다."]


def test_a_first_turn_without_the_circle_after_the_opening_mark_is_the_chairs():
    text = lines(
        "제88회 가온시의회(임시회) 복지위원회 회의록",
        "일 시 : 2031년 4월 25일(수) 오전 10시",
        "",
        "(10시01분 개의)",
        "",
        "하서린 위원장 성원이 되었으므로 개의하겠습니다.",
        "",
        "먼저 사무국 직원의 보고가 있겠습니다.",
        "",
        "○주무관 도은비 의회사무국 주무관 도은비입니다.",
    )

    document = parse_document(text)

    assert speeches(document) == [
        (
            "하서린 위원장",
            ["성원이 되었으므로 개의하겠습니다.", "먼저 사무국 직원의 보고가 있겠습니다."],
        ),
        ("주무관 도은비", ["의회사무국 주무관 도은비입니다."]),
    ]
    assert document.remarks.blocks[0].kind == "direction"
    assert not document.unplaced
    assert_every_line_has_one_home(text, document)


def test_a_first_turn_without_the_circle_is_a_turn_when_a_later_circle_line_names_that_speaker():
    remarks = parse_document(
        lines(
            "위원 한도윤 지난 회의 결과부터 말씀드리겠습니다.",
            "○위원장 하서린 의석을 정돈해 주십시오.",
            "○위원 한도윤 예, 이어서 말씀드리겠습니다.",
            "○위원장 하서린 한도윤 위원 말씀하십시오.",
        )
    ).remarks

    assert [label for label, _said in speeches(remarks)] == [
        "위원 한도윤",
        "위원장 하서린",
        "위원 한도윤",
        "위원장 하서린",
    ]


def test_a_name_and_role_inside_the_speech_after_the_first_circle_line_is_no_turn():
    remarks = parse_remarks(
        lines(
            "○위원장 하서린 의석을 정돈해 주십시오.",
            "한도윤 위원 질의해 주시기 바랍니다.",
            "○한도윤 위원 질의하겠습니다.",
        )
    )

    assert speeches(remarks)[0] == (
        "위원장 하서린",
        ["의석을 정돈해 주십시오.", "한도윤 위원 질의해 주시기 바랍니다."],
    )


def test_a_dated_page_number_of_english_minutes_is_dropped():
    text = lines(
        "MINUTES OF THE CITY COUNCIL OF THE CITY OF LAKEWOOD",
        "REGULAR SESSION",
        "Mayor Dana Holt: We will now hear the report on the street",
        "05/14/31 -2- DRAFT",
        "repairs from the city engineer.",
    )

    document = parse_document(text)

    assert [(d.line, d.reason) for d in document.remarks.dropped] == [(4, "page_number")]
    assert_every_line_has_one_home(text, document)


def test_an_english_speaker_is_split_into_title_and_name_so_the_name_can_be_masked():
    text = lines(
        "CITY COUNCIL MINUTES",
        "1. BUDGET HEARING",
        "Councilmember Ryle asked whether the reserve covers repairs.",
        "City Attorney Dana Voss: It does, up to the insured amount.",
        "Council Member Okoro said the roof comes first.",
        "Vice Chair Lintel: Agreed.",
        "Councilmember ***: I abstain.",
    )

    document = parse_document(text)

    assert [
        (b.speaker.role, b.speaker.name, b.speaker.redacted)
        for b in document.remarks.blocks
        if b.kind == "speech"
    ] == [
        ("Councilmember", "Ryle", False),
        ("City Attorney", "Dana Voss", False),
        ("Council Member", "Okoro", False),
        ("Vice Chair", "Lintel", False),
        ("Councilmember", "", True),
    ]
    assert_every_line_has_one_home(text, document)


def test_english_narration_and_motions_are_directions_and_motion_passed_decides_the_motion():
    text = lines(
        "MINUTES OF THE CITY COUNCIL",
        "1. OPEN FORUM",
        "The Council met in Open Forum called to order by Mayor Lena",
        "Fairbank at 6:45 p.m.",
        "Mayor Lena Fairbank opened the meeting for the purpose of Open Forum.",
        "Councilmember Ardent moved and Councilmember Quill seconded to close the",
        "Open Forum at 6:50 p.m.",
        "Motion passed unanimously.",
        "Councilmember Quill asked when the next forum is.",
        "Motion passed unanimously.",
    )

    document = parse_document(text)
    blocks = document.remarks.blocks

    assert [(b.kind, b.lines) for b in blocks] == [
        ("heading", [2]),
        ("direction", [3, 4]),
        ("direction", [5]),
        ("direction", [6, 7]),
        ("direction", [8]),
        ("speech", [9]),
        ("direction", [10]),
    ]
    assert blocks[1].statements == [
        "The Council met in Open Forum called to order by Mayor Lena Fairbank at 6:45 p.m."
    ]
    assert document.overview.starts == datetime.time(18, 45)
    # Only the "Motion passed" after a motion decides something: passed, nobody against.
    (resolution,) = document.resolutions
    assert (resolution.block_index, resolution.outcome, resolution.method, resolution.votes) == (
        4,
        "passed",
        "no_objection",
        None,
    )
    assert resolution.question.endswith("to close the Open Forum at 6:50 p.m.")
    assert resolution.agenda == 0
    assert_every_line_has_one_home(text, document)


def test_english_dates_in_capitals_or_with_the_weekday_and_the_adjournment_time_are_read():
    capitals = lines(
        "MINUTES OF THE PROCEEDINGS OF THE CITY COUNCIL",
        "OF THE TOWN OF HOLLIS CENTER",
        "REGULAR SESSION",
        "NOVEMBER 13, 2034",
        "CITY HALL – COUNCIL CHAMBERS",
        "1. CALL TO ORDER",
        "The Council met in Regular Session called to order by Mayor Ivo Brant at 7:00 PM.",
        "2. ADJOURNMENT",
        "Councilmember Dahl moved and Councilmember Eske seconded to close the meeting",
        "at 7:40 p.m.",
        "Motion passed unanimously.",
    )
    weekday = lines(
        "CITY COUNCIL MINUTES",
        "Monday, November 13, 2034 - 6:30 p.m.",
        "1. CALL TO ORDER",
        "Mayor Ivo Brant called the meeting to order.",
    )

    document = parse_document(capitals)
    overview = document.overview

    assert overview.title == (
        "MINUTES OF THE PROCEEDINGS OF THE CITY COUNCIL OF THE TOWN OF HOLLIS CENTER "
        "REGULAR SESSION"
    )
    assert (overview.day, overview.starts, overview.ends) == (
        datetime.date(2034, 11, 13),
        datetime.time(19),
        datetime.time(19, 40),
    )
    assert overview.place == "CITY HALL – COUNCIL CHAMBERS"
    assert document.unplaced == []
    assert_every_line_has_one_home(capitals, document)
    overview = parse_document(weekday).overview
    assert (overview.day, overview.starts) == (datetime.date(2034, 11, 13), datetime.time(18, 30))


def test_english_roll_call_prose_gives_attendees_absent_and_officials_with_titles():
    text = lines(
        "CITY COUNCIL MINUTES",
        "ROLL CALL",
        "Mayor Ivo Brant and Councilmembers Nell Dahl, Arno Eske-",
        "Whitcomb, and Pia Lund. Also present were City Manager Oren Vale, Director of Public",
        "Works Tess Marr, Planner and Zoning Administrator Cal Ruiz, and Bea Holm, Quickscribe",
        "Minute Services, Inc.",
        "Absent: Councilmember Rolf Sand",
        "1. CALL TO ORDER",
        "Present: Mayor Ivo Brant, Councilmembers Nell Dahl and Pia Lund",
    )

    document = parse_document(text)
    overview = document.overview

    assert [(x.name, x.position) for x in overview.attendees] == [
        ("Ivo Brant", "Mayor"),
        ("Nell Dahl", "Councilmember"),
        ("Arno Eske-Whitcomb", "Councilmember"),
        ("Pia Lund", "Councilmember"),
    ]
    assert [(x.name, x.position) for x in overview.officials] == [
        ("Oren Vale", "City Manager"),
        ("Tess Marr", "Director of Public Works"),
        ("Cal Ruiz", "Planner and Zoning Administrator"),
        ("Bea Holm", "Quickscribe Minute Services"),
    ]
    assert [(x.name, x.position) for x in overview.absent] == [("Rolf Sand", "Councilmember")]
    assert set(document.consumed) >= {3, 4, 5, 6, 7, 9}
    assert document.remarks.unplaced == []
    assert_every_line_has_one_home(text, document)
