"""Reading pasted or imported minutes text into structure (agenda.parsing).

Pure Python: no database. The inputs are written here; the last section reads
the real published reference (../shared/reference) and checks that the parser
gives what tests/reference.py gives, and the overview the published PDF shows.
"""

import datetime
import os
import re
import unicodedata

import pytest

from agenda.parsing import (
    Block,
    Person,
    Speaker,
    find_resolutions,
    parse_document,
    parse_remarks,
    parse_speaker_label,
)

from .reference import REFERENCE, read_reference

# CI always has ../shared beside the clone: there a missing reference is a failure.
needs_reference = pytest.mark.skipif(
    not REFERENCE.exists() and not os.environ.get("CI"),
    reason=f"reference not found at {REFERENCE}",
)


def lines(*rows):
    """Input text from rows, so leading whitespace stays visible in the test."""
    return "\n".join(rows)


def pairs(remarks):
    """(label, statements) of each speech block; a direction or heading as ("(…)", [text])."""
    return [
        (block.speaker.label if block.speaker else f"({block.kind})", block.statements)
        for block in remarks.blocks
    ]


def speeches(remarks):
    return [block for block in remarks.blocks if block.kind == "speech"]


def statements(remarks):
    return [text for block in remarks.blocks for text in block.statements]


def block(label, *texts):
    return Block(parse_speaker_label(label), list(texts), 0)


# --- Speaker labels ----------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "name", "role", "redacted"),
    [
        ("간사", "", "간사", False),
        ("위원장", "", "위원장", False),
        ("위원", "", "위원", False),
        ("000위원", "", "위원", True),
        ("000위원회", "", "위원회", True),
        ("000팀장", "", "팀장", True),
        ("000수석", "", "수석", True),
        ("○○○위원", "", "위원", True),
        ("OOO위원", "", "위원", True),
        ("***위원", "", "위원", True),
        ("＊＊＊위원", "", "위원", True),
        ("◯◯◯위원", "", "위원", True),
        ("ㅇㅇㅇ위원", "", "위원", True),
        ("００위원", "", "위원", True),
        ("000 위원", "", "위원", True),
        ("김○○ 위원", "", "위원", True),
        ("000", "", "", True),
        ("김준호 위원", "김준호", "위원", False),
        ("김준호위원", "김준호", "위원", False),
        ("김지원 위원", "김지원", "위원", False),
        ("위원장 홍길동", "홍길동", "위원장", False),
        ("위원장 김지원", "김지원", "위원장", False),
        ("기획조정실장 박민수", "박민수", "기획조정실장", False),
        ("이상용 디지털수석", "이상용", "디지털수석", False),
        ("위원장 직무대리 홍길동", "홍길동", "위원장 직무대리", False),
        ("디지털수석", "", "디지털수석", False),
        ("전문위원", "", "전문위원", False),
    ],
)
def test_speaker_label_is_split_into_name_and_role(label, name, role, redacted):
    assert parse_speaker_label(label) == Speaker(label, name, role, redacted)


def test_speaker_label_keeps_its_text_with_whitespace_normalised():
    speaker = parse_speaker_label(" 김준호\u3000\u00a0위원\t")

    assert speaker == Speaker("김준호 위원", "김준호", "위원", False)


def test_a_word_that_only_looks_like_a_name_and_a_role_stays_a_title():
    """'담당' does not start with a surname: '담당 팀장' names nobody."""
    assert parse_speaker_label("담당 팀장") == Speaker("담당 팀장", "", "담당 팀장", False)


# --- Reference convention ----------------------------------------------------

REFERENCE_STYLE = lines(
    "## □ 위원 발언내용",
    "",
    "### <간사>",
    "",
    "- 개회 및 진행안내",
    "- 위원 및 내부참석자 소개",
    "",
    "#### <000위원>",
    "",
    "○서울시의 데이터 활용 성과는 어떻게 되는지 질문함.",
    "",
    "<위원장>",
    "",
    "- 질문이 있으",
    "",
    "시면 질문해 주시기 바랍니다.",
)


def test_reference_headings_start_blocks_and_bullets_are_statements():
    remarks = parse_remarks(REFERENCE_STYLE)

    assert remarks.convention == "reference"
    assert pairs(remarks) == [
        ("간사", ["개회 및 진행안내", "위원 및 내부참석자 소개"]),
        ("000위원", ["서울시의 데이터 활용 성과는 어떻게 되는지 질문함."]),
        ("위원장", ["질문이 있으시면 질문해 주시기 바랍니다."]),
    ]


def test_reference_blocks_record_the_line_of_their_heading():
    remarks = parse_remarks(REFERENCE_STYLE)

    assert [block.line for block in remarks.blocks] == [3, 8, 12]


@pytest.mark.parametrize("bullet", ["- ", "○", "○ ", "◦ ", "• ", "· ", "∘ ", "* ", "*", "ㅇ "])
def test_each_reference_bullet_starts_one_statement(bullet):
    remarks = parse_remarks(lines("### <간사>", f"{bullet}첫째", f"{bullet}둘째"))

    assert statements(remarks) == ["첫째", "둘째"]


def test_a_statement_cut_by_a_page_break_is_joined_without_a_space():
    remarks = parse_remarks(
        lines("#### <000위원>", "○ 데이터는 그들이 가지고", "", "", "", "학습하여 모델을 개선함.")
    )

    assert statements(remarks) == ["데이터는 그들이 가지고학습하여 모델을 개선함."]


def test_a_plain_line_right_after_a_heading_starts_a_statement():
    remarks = parse_remarks(lines("<간사>", "불릿 없이 시작하는 발언", "- 다음 발언"))

    assert statements(remarks) == ["불릿 없이 시작하는 발언", "다음 발언"]


def test_a_heading_without_statements_is_still_a_block():
    remarks = parse_remarks(lines("### <간사>", "- 보고함.", "#### <위원장>"))

    assert pairs(remarks) == [("간사", ["보고함."]), ("위원장", [])]


def test_repeated_statements_are_kept_every_time():
    remarks = parse_remarks(
        lines("<위원장>", "- 이의 있으십니까?", "<위원>", "- (다같이) 없음", "- (다같이) 없음")
    )

    assert statements(remarks) == ["이의 있으십니까?", "(다같이) 없음", "(다같이) 없음"]
    assert remarks.dropped == []


def test_a_parenthesised_line_in_the_reference_convention_is_a_direction_not_the_chairs():
    remarks = parse_remarks(
        lines("<위원장>", "- 이의 있으십니까?", "(“없습니다” 하는 위원 있음)", "가결함.")
    )

    assert pairs(remarks) == [
        ("위원장", ["이의 있으십니까?"]),
        ("(direction)", ["(“없습니다” 하는 위원 있음)"]),
        ("위원장", ["가결함."]),
    ]


@pytest.mark.parametrize("reaction", ["<‘예’ 하는 위원 있음>", "<“없습니다” 하는 위원 있음>"])
def test_a_reaction_in_angle_brackets_is_a_direction_not_a_speaker_heading(reaction):
    remarks = parse_remarks(
        lines("<위원장>", "- 이의 있으십니까?", reaction, "<간사>", "- 보고함.")
    )

    assert pairs(remarks) == [
        ("위원장", ["이의 있으십니까?"]),
        ("(direction)", [reaction]),
        ("간사", ["보고함."]),
    ]


def test_a_continuation_may_start_with_a_parenthesis_when_it_goes_on_after_it():
    remarks = parse_remarks(lines("<간사>", "- 페더레이트 러닝", "(Federated learning)은 방식임."))

    assert statements(remarks) == ["페더레이트 러닝(Federated learning)은 방식임."]


def test_full_width_brackets_spaces_and_digits_are_recognised():
    remarks = parse_remarks(
        lines(
            "＜간사＞",
            "－\u3000１２명이\u3000\u3000참석함.",
            "\u3000〈０００위원〉\u3000",
            "○\u00a0질문함.\t ",
        )
    )

    assert pairs(remarks) == [("간사", ["１２명이 참석함."]), ("０００위원", ["질문함."])]
    assert remarks.blocks[1].speaker.redacted


def test_messy_whitespace_is_collapsed_inside_statements():
    remarks = parse_remarks(lines("  ###   <간사>   ", "  -   여러   칸\t띄운\u00a0 발언   "))

    assert pairs(remarks) == [("간사", ["여러 칸 띄운 발언"])]


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_any_line_ending_gives_the_same_remarks_and_line_numbers(newline):
    remarks = parse_remarks("\ufeff" + REFERENCE_STYLE.replace("\n", newline))

    assert pairs(remarks) == pairs(parse_remarks(REFERENCE_STYLE))
    assert [block.line for block in remarks.blocks] == [3, 8, 12]


def test_statement_text_is_nfc():
    decomposed = unicodedata.normalize("NFD", "서울시 데이터")
    remarks = parse_remarks(lines("<간사>", f"- {decomposed}"))

    assert statements(remarks) == ["서울시 데이터"]


def test_text_before_the_first_heading_is_unplaced_with_its_line_number():
    remarks = parse_remarks(lines("회의 전 메모", "", "- 안내 사항", "<간사>", "- 개회"))

    assert [(u.line, u.text, u.reason) for u in remarks.unplaced] == [
        (1, "회의 전 메모", "before_first_speaker"),
        (3, "- 안내 사항", "before_first_speaker"),
    ]
    assert statements(remarks) == ["개회"]


def test_a_section_heading_in_brackets_is_not_a_speaker():
    remarks = parse_remarks(lines("## 〈회의개요〉", "- ◆ 장 소 : 회의실", "### <간사>", "- 개회"))

    assert pairs(remarks) == [("간사", ["개회"])]
    assert [entry.line for entry in remarks.unplaced] == [1, 2]


# --- Page artefacts ----------------------------------------------------------


@pytest.mark.parametrize("page", ["- 2 -", "-2-", "— 2 —", "– 3 –", "2 / 10", "- 12 -", "－ ２ －"])
def test_page_numbers_are_dropped_and_recorded(page):
    remarks = parse_remarks(lines("<간사>", "- 보고를 이어", page, "가겠음."))

    assert statements(remarks) == ["보고를 이어가겠음."]
    assert [(u.line, u.reason) for u in remarks.dropped] == [(3, "page_number")]


def test_a_statement_split_over_a_page_break_survives_number_and_running_header():
    header = "2024년 1차 「빅데이터심의위원회」 회의록"
    remarks = parse_remarks(
        lines(
            header,
            "<간사>",
            "- 소방차 및 구급차의 진",
            "",
            "- 2 -",
            header,
            "",
            "입 경로를 고려해야 함.",
        )
    )

    assert statements(remarks) == ["소방차 및 구급차의 진입 경로를 고려해야 함."]
    assert [(u.line, u.text, u.reason) for u in remarks.dropped] == [
        (1, header, "page_header"),
        (5, "- 2 -", "page_number"),
        (6, header, "page_header"),
    ]
    assert remarks.unplaced == []


def test_a_line_mentioning_minutes_once_is_not_a_page_header():
    remarks = parse_remarks(lines("<간사>", "- 회의록 서명의원 선출", "회의록은 추후 배포함"))

    assert statements(remarks) == ["회의록 서명의원 선출회의록은 추후 배포함"]
    assert remarks.dropped == []


# --- Transcript convention ---------------------------------------------------

TRANSCRIPT = lines(
    "제301회 서울특별시의회 기획경제위원회 회의록",
    "(10시 12분 개의)",
    "○위원장 홍길동  성원이 되었으므로 개의하겠습니다.",
    "    의사일정 제1항을 상정합니다.",
    "(의사봉 3타)",
    "○김영희 위원  질의하겠습니다.",
    "  예산이 부족한 이유가 무엇입니까?",
    "추가로 여쭙겠습니다.",
    "",
    "  빈 줄 다음의 들여쓴 줄은 새 발언입니다.",
    "○기획조정실장 박민수\t답변드리겠습니다.",
    "○위원장 홍길동",
    "질의를 마치겠습니다.",
    "(14시 05분 산회)",
)


def test_transcript_speaker_lines_start_blocks():
    remarks = parse_remarks(TRANSCRIPT)

    assert remarks.convention == "transcript"
    assert [block.speaker for block in speeches(remarks)] == [
        Speaker("위원장 홍길동", "홍길동", "위원장", False),
        Speaker("김영희 위원", "김영희", "위원", False),
        Speaker("기획조정실장 박민수", "박민수", "기획조정실장", False),
        Speaker("위원장 홍길동", "홍길동", "위원장", False),
    ]
    assert [block.line for block in speeches(remarks)] == [3, 6, 11, 12]


def test_transcript_indented_lines_continue_the_statement_with_a_space():
    remarks = parse_remarks(TRANSCRIPT)

    assert (
        speeches(remarks)[0].statements[0]
        == "성원이 되었으므로 개의하겠습니다. 의사일정 제1항을 상정합니다."
    )


def test_transcript_unindented_lines_and_lines_after_a_blank_start_new_statements():
    remarks = parse_remarks(TRANSCRIPT)

    assert speeches(remarks)[1].statements == [
        "질의하겠습니다. 예산이 부족한 이유가 무엇입니까?",
        "추가로 여쭙겠습니다.",
        "빈 줄 다음의 들여쓴 줄은 새 발언입니다.",
    ]


def test_a_transcript_speaker_line_without_speech_takes_the_lines_after_it():
    remarks = parse_remarks(TRANSCRIPT)

    assert pairs(remarks)[-2:] == [
        ("위원장 홍길동", ["질의를 마치겠습니다."]),
        ("(direction)", ["(14시 05분 산회)"]),
    ]


def test_stage_directions_are_blocks_of_their_own_in_nobodys_mouth():
    remarks = parse_remarks(TRANSCRIPT)

    directions = [block for block in remarks.blocks if block.kind == "direction"]
    assert [(b.line, b.statements, b.speaker) for b in directions] == [
        (2, ["(10시 12분 개의)"], None),
        (5, ["(의사봉 3타)"], None),
        (14, ["(14시 05분 산회)"], None),
    ]
    assert all("(" not in block.speaker.label for block in speeches(remarks))


@pytest.mark.parametrize(
    "direction",
    [
        "(“예” 하는 위원 있음)",
        '("예" 하는 위원 있음)',
        "(10시 12분)",
        "(10시 12분 개의)",
        "(의사봉 3타)",
        "(14시 05분 산회)",
        "（１４시 ０５분 산회）",
    ],
)
def test_a_direction_is_never_merged_into_the_statement_around_it(direction):
    remarks = parse_remarks(lines("○위원장 홍길동  말씀드립니다.", f"  {direction}", "  이어서"))

    assert pairs(remarks) == [
        ("위원장 홍길동", ["말씀드립니다."]),
        ("(direction)", [direction]),
        ("위원장 홍길동", ["이어서"]),  # the chair goes on after the direction
    ]


def test_text_before_the_first_transcript_speaker_is_unplaced_but_a_time_mark_is_a_direction():
    remarks = parse_remarks(TRANSCRIPT)

    assert [(u.line, u.text, u.reason) for u in remarks.unplaced] == [
        (1, "제301회 서울특별시의회 기획경제위원회 회의록", "before_first_speaker"),
    ]
    assert remarks.blocks[0].kind == "direction"


@pytest.mark.parametrize(
    ("line", "label", "speech"),
    [
        ("○김영희 위원 질의하겠습니다.", "김영희 위원", "질의하겠습니다."),
        ("○위원장 홍길동 개의하겠습니다.", "위원장 홍길동", "개의하겠습니다."),
        (
            "○위원장 성원이 되었으므로 개의하겠습니다.",
            "위원장",
            "성원이 되었으므로 개의하겠습니다.",
        ),
        ("○위원장 여러분 안녕하십니까.", "위원장", "여러분 안녕하십니까."),
        ("○간사 보고드리겠습니다.", "간사", "보고드리겠습니다."),
        ("◯간사 보고드리겠습니다.", "간사", "보고드리겠습니다."),
        ("○000위원 질의합니다.", "000위원", "질의합니다."),
        ("○김준호위원 질의합니다.", "김준호위원", "질의합니다."),
        ("○위원장\u3000홍길동\u3000\u3000개의합니다.", "위원장 홍길동", "개의합니다."),
    ],
)
def test_single_spaced_transcript_speakers_are_found_by_role_and_name(line, label, speech):
    remarks = parse_remarks(line)

    assert pairs(remarks) == [(label, [speech])]


def test_a_speaker_written_with_a_gap_once_is_recognised_when_single_spaced():
    remarks = parse_remarks(
        lines("○위원장 이지은  개의하겠습니다.", "○위원장 이지은 다음 안건입니다.")
    )

    assert [block.speaker.label for block in remarks.blocks] == ["위원장 이지은"] * 2
    assert statements(remarks) == ["개의하겠습니다.", "다음 안건입니다."]


def test_a_circle_followed_by_a_space_is_not_a_transcript_speaker():
    remarks = parse_remarks(lines("○위원장 홍길동  말씀드립니다.", "○ 첫째, 예산 문제입니다."))

    assert pairs(remarks) == [("위원장 홍길동", ["말씀드립니다.", "○ 첫째, 예산 문제입니다."])]


def test_transcript_page_numbers_and_running_headers_are_dropped():
    remarks = parse_remarks(TRANSCRIPT + "\n- 2 -\n제301회 서울특별시의회 기획경제위원회 회의록")

    assert [(u.line, u.reason) for u in remarks.dropped] == [
        (1, "page_header"),
        (15, "page_number"),
        (16, "page_header"),
    ]
    assert remarks.unplaced == []


# --- Nothing is lost ---------------------------------------------------------

MESSY = "\ufeff" + "\r\n".join(
    [
        "머리말 한 줄",
        "＜간사＞",
        "－\u3000첫\u3000발언",
        "- 2 -",
        "이어지는 줄",
        "(10시 12분)",
        "〈000위원〉",
        "○질문",
        "○",
        "* 별표 발언",
    ]
)
BULLET = re.compile(r"^\s*(?:[-－○◯◦•·∘*]|ㅇ(?=\s))")
HEADING = re.compile(r"^#*[<〈]|[>〉]$")


def squash(text):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def assert_nothing_lost(text, remarks, *, first_line=1):
    """Every line is dropped (recorded), or its text is in a label, statement or unplaced."""
    kept = "".join(
        [
            (block.speaker.label if block.speaker else "") + "".join(block.statements)
            for block in remarks.blocks
        ]
        + [entry.text for entry in remarks.unplaced]
    )
    dropped = {entry.line for entry in remarks.dropped}
    numbered = enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), start=1)
    for number, line in numbered:
        piece = HEADING.sub("", squash(BULLET.sub("", line)))
        if number >= first_line and piece and number not in dropped:
            assert piece in squash(kept), f"line {number} lost: {line!r}"


@pytest.mark.parametrize("text", [REFERENCE_STYLE, TRANSCRIPT, MESSY], ids=["ref", "tr", "messy"])
def test_every_remark_line_ends_up_somewhere(text):
    assert_nothing_lost(text, parse_remarks(text))


def test_a_bullet_without_text_is_recorded_as_dropped():
    remarks = parse_remarks(MESSY)

    assert [(u.line, u.reason) for u in remarks.dropped] == [
        (4, "page_number"),
        (9, "empty_bullet"),
    ]
    assert pairs(remarks) == [
        ("간사", ["첫 발언이어지는 줄"]),
        ("(direction)", ["(10시 12분)"]),
        ("000위원", ["질문", "별표 발언"]),
    ]


# --- Whole documents: the overview -------------------------------------------

DOCUMENT = lines(
    "구 분\t\t\t",
    "열람·서명자\t교통정책위원\t성명 김준호\t(서명 또는 인) ",
    "\t교통정책위원\t성명 김진수\t(서명 또는 인) ",
    "확 인 자\t교통정책과장\t성명 윤충식\t",
    "작 성 자\t교통정책과\t성명 박창현\t",
    "",
    "2025년 제3차 교통정책위원회 회의록",
    "2025. 6.",
    "교통정책관",
    "(교통정책과)",
    "",
    "2025년 3차 「교통정책위원회」 회의록",
    "〈회의개요〉",
    "◆ 일  시：2025년 6월 5일(목) 14:00 ~ 16:30",
    "◆ 장 소 : 서울특별시 본청 회의실(6층)",
    "◆ 참석위원 : １０명",
    "    외부위원(7명) : 김준호, 김진수, 이경전, 정지영, 진혜진, 최은정, 최진혁",
    "    내부위원(3명) : 김기현 안전총괄관, 박진영(교통정책관), 송호재 교통실장",
    "※ 배석 : 이상용 교통수석, 담당 팀장 등, 관계 공무원",
    "◆ 진행순서",
    "    개회 및 인사말씀",
    "        안건 설명",
    "            질의 응답",
    "    폐회",
    "◆ 상정안건",
    "    심의안건 2건",
    "        【1】 버스노선 개편안",
    "        【2】 교통약자 이동지원 계획",
    "    보고 1건",
    "        【1】 교통량 조사 결과",
    "    자문 1건",
    "        【1】 자전거도로 확충 방향",
    "어디에도 속하지 않는 줄",
    "□ 위원 발언내용",
    "<위원장>",
    "- 개회하겠음.",
)


def test_document_title_gives_committee_year_and_sequence():
    overview = parse_document(DOCUMENT).overview

    assert overview.title == "2025년 3차 「교통정책위원회」 회의록"
    assert (overview.committee, overview.year, overview.sequence) == ("교통정책위원회", 2025, 3)


def test_a_title_without_corner_brackets_still_names_the_committee():
    overview = parse_document("2024년 제2차 데이터위원회 회의록\n위원 발언내용").overview

    assert (overview.committee, overview.year, overview.sequence) == ("데이터위원회", 2024, 2)


def test_document_cover_gives_date_organisation_and_department():
    overview = parse_document(DOCUMENT).overview

    assert overview.document_date == (2025, 6)
    assert (overview.organisation, overview.department) == ("교통정책관", "교통정책과")


def test_document_date_time_place_and_attendee_count():
    overview = parse_document(DOCUMENT).overview

    assert overview.day == datetime.date(2025, 6, 5)
    assert (overview.starts, overview.ends) == (datetime.time(14), datetime.time(16, 30))
    assert overview.place == "서울특별시 본청 회의실(6층)"
    assert overview.attendee_count == 10


@pytest.mark.parametrize(
    "when",
    [
        "'24. 4. 18.(목) 15:00~17:00",
        "’24. 4. 18.(목) 15:00~17:00",
        "2024. 4. 18.(목) 15:00 ~ 17:00",
        "2024년 4월 18일(목) 15:00~17:00",
        "２０２４. ４. １８.(목) １５:００～１７:００",
        "2024. 4. 18.(목) 오후 3시 ~ 오후 5시",
    ],
)
def test_meeting_date_and_times_are_read_in_each_written_form(when):
    for line in (f"◆ 일 시 : {when}", f"일시: {when}", f"- ◆ 일  시 ： {when}"):
        overview = parse_document(f"{line}\n위원 발언내용").overview

        assert overview.day == datetime.date(2024, 4, 18), line
        assert (overview.starts, overview.ends) == (datetime.time(15), datetime.time(17)), line


def test_members_are_listed_with_their_positions():
    overview = parse_document(DOCUMENT).overview

    assert [person.name for person in overview.external] == [
        "김준호",
        "김진수",
        "이경전",
        "정지영",
        "진혜진",
        "최은정",
        "최진혁",
    ]
    assert overview.internal == [
        Person("김기현", "안전총괄관"),
        Person("박진영", "교통정책관"),
        Person("송호재", "교통실장"),
    ]


def test_non_members_are_people_with_titles_or_kept_as_written():
    overview = parse_document(DOCUMENT).overview

    assert overview.non_members == [Person("이상용", "교통수석"), "담당 팀장 등", "관계 공무원"]


def test_order_of_proceedings_takes_depth_from_indentation():
    overview = parse_document(DOCUMENT).overview

    assert overview.proceedings == [
        (0, "개회 및 인사말씀"),
        (1, "안건 설명"),
        (2, "질의 응답"),
        (0, "폐회"),
    ]


def test_agenda_items_take_their_kind_from_the_group_above_them():
    overview = parse_document(DOCUMENT).overview

    assert overview.agenda == [
        ("deliberation", 1, "버스노선 개편안"),
        ("deliberation", 2, "교통약자 이동지원 계획"),
        ("report", 1, "교통량 조사 결과"),
        ("advisory", 1, "자전거도로 확충 방향"),
    ]


def test_signature_table_rows_give_role_title_and_name():
    overview = parse_document(DOCUMENT).overview

    assert overview.signatories == [
        ("signer", "교통정책위원", "김준호"),
        ("signer", "교통정책위원", "김진수"),
        ("confirmer", "교통정책과장", "윤충식"),
        ("author", "교통정책과", "박창현"),
    ]


def test_an_unrecognised_overview_line_is_reported_with_its_line_number():
    document = parse_document(DOCUMENT)

    assert [(u.line, u.text, u.reason) for u in document.unplaced] == [
        (33, "어디에도 속하지 않는 줄", "unrecognised_overview_line")
    ]


def test_a_field_given_twice_keeps_the_first_and_reports_the_second():
    document = parse_document(
        lines("◆ 장 소 : 본청 회의실", "◆ 장 소 : 별관 회의실", "위원 발언내용")
    )

    assert document.overview.place == "본청 회의실"
    assert [(u.line, u.text) for u in document.unplaced] == [(2, "◆ 장 소 : 별관 회의실")]


def test_remarks_line_numbers_count_from_the_top_of_the_document():
    document = parse_document(DOCUMENT)

    assert pairs(document.remarks) == [("위원장", ["개회하겠음."])]
    assert document.remarks.blocks[0].line == 35


def test_a_running_header_on_every_page_is_dropped_but_the_title_is_read():
    title = "2024년 1차 「빅데이터심의위원회」 회의록"
    document = parse_document(
        lines(
            title, "◆ 장 소 : 회의실", "- 1 -", title, "□ 위원 발언내용", "<간사>", "- 보고", title
        )
    )

    assert document.overview.title == title
    assert document.overview.place == "회의실"
    assert [(u.line, u.reason) for u in document.remarks.dropped] == [
        (3, "page_number"),
        (4, "page_header"),
        (8, "page_header"),
    ]
    assert document.unplaced == []


def test_without_a_remarks_heading_the_remarks_start_at_the_first_speaker():
    document = parse_document(lines("◆ 장 소 : 회의실", "", "### <간사>", "- 개회"))

    assert document.overview.place == "회의실"
    assert pairs(document.remarks) == [("간사", ["개회"])]
    assert document.unplaced == document.remarks.unplaced == []


def test_a_transcript_document_has_its_overview_and_its_opening_time_mark_in_the_remarks():
    document = parse_document(
        lines(
            "제301회 서울특별시의회 기획경제위원회 회의록",
            "일 시 : 2024년 4월 18일(목) 10:00",
            "장 소 : 기획경제위원회 회의실",
            "(10시 12분 개의)",
            "○위원장 홍길동  성원이 되었으므로 개의하겠습니다.",
        )
    )

    assert document.overview.title == "제301회 서울특별시의회 기획경제위원회 회의록"
    assert (document.overview.day, document.overview.starts) == (
        datetime.date(2024, 4, 18),
        datetime.time(10),
    )
    assert document.overview.place == "기획경제위원회 회의실"
    assert document.unplaced == document.remarks.unplaced == []
    assert pairs(document.remarks) == [
        ("(direction)", ["(10시 12분 개의)"]),
        ("위원장 홍길동", ["성원이 되었으므로 개의하겠습니다."]),
    ]


LABEL_WORDS = {
    *"열람 서명자 확인자 작성자 성명 서명 또는 구분 회의개요 일시 장소 참석위원".split(),
    *"외부위원 내부위원 배석 진행순서 상정안건 심의안건 보고 자문 심의".split(),
}


def test_every_overview_line_is_read_or_reported():
    """Each word of each overview line shows in the overview or in unplaced."""
    document = parse_document(DOCUMENT)
    found = squash(repr(document.overview) + repr(document.unplaced))
    for number, line in enumerate(DOCUMENT.splitlines()[:33], start=1):
        for word in re.findall(r"[가-힣]{2,}", line):
            assert word in LABEL_WORDS or word in found, f"line {number}: {word}"
    assert_nothing_lost(DOCUMENT, document.remarks, first_line=35)


# --- Resolutions -------------------------------------------------------------


def test_a_question_answered_without_objection_is_a_resolution():
    remarks = parse_remarks(
        lines(
            "<간사>",
            "- 안건을 설명함.",
            "<위원장>",
            "- 안건1 수정안에 대한 의결에 이의가 있으십니까?",
            "<위원>",
            "- (다같이) 없음",
            "<위원장>",
            "- 수정한 심의안을 통과하는 것으로 하겠음.",
        )
    )

    (resolution,) = find_resolutions(remarks.blocks)

    assert resolution.block_index == 1
    assert resolution.question == "안건1 수정안에 대한 의결에 이의가 있으십니까?"
    assert (resolution.method, resolution.outcome) == ("no_objection", "passed_as_amended")
    assert (resolution.item_kind, resolution.item_number) == ("deliberation", 1)
    assert resolution.votes is None


def test_a_transcript_resolution_is_declared_after_a_direction_in_the_chairs_block():
    remarks = parse_remarks(
        lines(
            "○위원장 홍길동  제1안건에 대하여 원안대로 의결하고자 하는데 이의 있으십니까?",
            "(“없습니다” 하는 위원 있음)",
            "  가결되었음을 선포합니다.",
            "(의사봉 3타)",
        )
    )

    (resolution,) = find_resolutions(remarks.blocks)

    assert (resolution.method, resolution.outcome) == ("no_objection", "passed")
    assert (resolution.item_kind, resolution.item_number) == ("deliberation", 1)


def test_yes_to_no_objection_is_no_objection():
    blocks = [
        block("위원장 홍길동", "이 안건은 이의 없으십니까?", "(“예” 하는 위원 있음)"),
        block("위원장 홍길동", "가결되었음을 선포합니다."),
    ]

    (resolution,) = find_resolutions(blocks)

    assert resolution.outcome == "passed"


@pytest.mark.parametrize(
    ("decision", "outcome"),
    [
        ("원안대로 가결되었음을 선포합니다.", "passed"),
        ("통과된 것으로 하겠음.", "passed"),
        ("수정안대로 의결되었습니다.", "passed_as_amended"),
        ("부결되었음을 선포합니다.", "rejected"),
        ("다음 회의로 보류하겠습니다.", "deferred"),
        ("처리를 연기하겠습니다.", "deferred"),
    ],
)
def test_the_chairs_next_words_give_the_outcome(decision, outcome):
    blocks = [
        block("위원장", "이 안건에 이의 있으십니까?"),
        block("위원", "(다같이) 없음"),
        block("위원장", decision),
    ]

    assert [r.outcome for r in find_resolutions(blocks)] == [outcome]


@pytest.mark.parametrize(
    ("question", "number"),
    [
        ("안건1에 이의 있으십니까?", 1),
        ("안건 2에 이의 있으십니까?", 2),
        ("심의안건 3의 의결에 이의 있으십니까?", 3),
        ("제2안건에 이의 있으십니까?", 2),
        ("첫 번째 안건에 이의 있으십니까?", 1),
        ("두 번째 안건에 이의 있으십니까?", 2),
        ("의사일정 제4항에 이의 있으십니까?", 4),
        ("이 안건에 이의 있으십니까?", None),
    ],
)
def test_the_question_names_the_agenda_item(question, number):
    blocks = [
        block("위원장", question),
        block("위원", "없습니다."),
        block("위원장", "가결되었습니다."),
    ]

    (resolution,) = find_resolutions(blocks)

    assert resolution.item_number == number
    assert resolution.item_kind == ("deliberation" if number else None)


def test_counted_votes_make_a_show_of_hands():
    blocks = [
        block("위원장", "안건1 의결에 이의 있으십니까?"),
        block("김영희 위원", "이의 있습니다."),
        block("위원장", "거수로 표결하겠습니다. 찬성 7인, 반대 3인, 기권 1인으로 가결되었습니다."),
    ]

    (resolution,) = find_resolutions(blocks)

    assert (resolution.method, resolution.votes) == ("show_of_hands", (7, 3, 1))
    assert resolution.outcome == "passed"


def test_a_question_nobody_answers_is_no_resolution():
    blocks = [
        block("위원장", "이의 있으십니까?"),
        block("간사", "별도 계약은 필요없으며, 시와 구가 같이 쓰고 있는 데이터를 활용하고 있음."),
    ]

    assert find_resolutions(blocks) == []


def test_only_the_chair_puts_questions():
    blocks = [block("김영희 위원", "이의 있으십니까?"), block("위원", "없음")]

    assert find_resolutions(blocks) == []


# --- The published reference -------------------------------------------------


@pytest.fixture(scope="module")
def reference_document():
    return parse_document(REFERENCE.read_text(encoding="utf-8"))


@needs_reference
def test_reference_remarks_are_those_of_the_reference_reader(reference_document):
    remarks = reference_document.remarks

    assert remarks.convention == "reference"
    assert len(remarks.blocks) == 57
    assert len(statements(remarks)) == 70
    assert pairs(remarks) == read_reference().remarks


@needs_reference
def test_reference_is_read_without_anything_unplaced(reference_document):
    assert reference_document.unplaced == []
    assert reference_document.remarks.unplaced == []
    assert reference_document.remarks.dropped == []


@needs_reference
def test_reference_overview_title_date_and_place(reference_document):
    overview = reference_document.overview

    assert overview.title == "2024년 1차 「빅데이터심의위원회」 회의록"
    assert (overview.committee, overview.year, overview.sequence) == ("빅데이터심의위원회", 2024, 1)
    assert overview.day == datetime.date(2024, 4, 18)
    assert (overview.starts, overview.ends) == (datetime.time(15), datetime.time(17))
    assert overview.place == "서울특별시 본청 영상회의실(6층)"
    assert overview.document_date == (2024, 4)
    assert (overview.organisation, overview.department) == ("디지털정책관", "빅데이터담당관")


@needs_reference
def test_reference_overview_people(reference_document):
    overview = reference_document.overview

    assert overview.attendee_count == 12
    assert [person.name for person in overview.external] == (
        "김준호 김진수 안한희 이경전 이영섭 정지영 진혜진 최은정 최진혁".split()
    )
    assert overview.internal == [
        Person("김기현", "안전총괄관"),
        Person("박진영", "디지털정책관"),
        Person("송호재", "노동공정상생정책관"),
    ]
    assert overview.non_members == [
        Person("이상용", "디지털수석"),
        Person("윤충식", "빅데이터담당관"),
        "담당 팀장 등",
    ]
    assert overview.signatories == [
        ("signer", "빅데이터심의위원", "김준호"),
        ("signer", "빅데이터심의위원", "김진수"),
        ("confirmer", "빅데이터담당관", "윤충식"),
        ("author", "빅데이터담당관", "박창현"),
    ]


@needs_reference
def test_reference_overview_proceedings_and_agenda(reference_document):
    overview = reference_document.overview

    assert [depth for depth, _text in overview.proceedings] == [0, 0, 1, 0]
    assert overview.proceedings[2] == (1, "서울시 데이터기반 행정 종합계획 등 심의")
    assert overview.agenda == [
        ("deliberation", 1, "서울시 데이터기반 행정 종합계획(안) 수립 보고"),
        ("report_advisory", 1, "서울시 데이터 관련 정부평가 보고"),
        ("report_advisory", 2, "빅데이터 표준분석모델 후보과제 선정 자문"),
        ("report_advisory", 3, "수도권 생활이동(통근·통학인구) 데이터 개발·활용 보고"),
    ]


@needs_reference
def test_reference_has_one_resolution_passed_as_amended(reference_document):
    (resolution,) = reference_document.resolutions

    assert resolution.question == "안건1 수정안에 대한 의결에 이의가 있으십니까?"
    assert reference_document.remarks.blocks[resolution.block_index].speaker.role == "위원장"
    assert (resolution.method, resolution.outcome) == ("no_objection", "passed_as_amended")
    assert (resolution.item_kind, resolution.item_number) == ("deliberation", 1)


@needs_reference
def test_reference_remarks_alone_leave_the_overview_unplaced_but_not_lost():
    text = REFERENCE.read_text(encoding="utf-8")
    remarks = parse_remarks(text)

    assert pairs(remarks) == read_reference().remarks
    assert {entry.reason for entry in remarks.unplaced} == {"before_first_speaker"}
    assert_nothing_lost(text, remarks)


@needs_reference
def test_reference_overview_reads_the_same_as_plain_text(reference_document):
    """Without the dump's markdown (#, -, **, \\*) and with other spacing."""
    head, _marker, tail = REFERENCE.read_text(encoding="utf-8").partition("## □ 위원 발언내용")
    plain = []
    for line in head.splitlines():
        line = re.sub(r"^(\s*)- ", r"\1", re.sub(r"^#+\s*", "", line))
        line = line.replace("**", "").replace("\\*", "*").replace("일 시 :", "일  시 ：")
        plain.append(line)

    document = parse_document("\n".join(plain) + "\n□ 위원 발언내용" + tail)

    assert document.overview == reference_document.overview
    assert document.unplaced == []
    assert pairs(document.remarks) == pairs(reference_document.remarks)
