"""Fictional demo content for `manage.py load_demo` (no real people or sentences)."""

COMMITTEE = {
    "name": "데이터정책위원회",
    "slug": "data-policy",
    "organisation": "데이터정책관",
    "department": "데이터정책담당관",
}

# key -> person. position is the job title (직위) printed next to internal members and
# non-member attendees (e.g. "안전총괄관", "데이터수석"); external members have an affiliation
# (e.g. "한빛대학교 통계학과 교수") and may have an empty position.
PEOPLE = {
    # External members
    "chair": {"name": "오세린", "position": "", "affiliation": "한빛대학교 통계학과 교수"},
    "vice_chair": {"name": "문태경", "position": "", "affiliation": "한빛과학기술원 AI대학원 교수"},
    "m_jang": {
        "name": "장민서",
        "position": "",
        "affiliation": "한빛연구원 도시데이터센터 연구위원",
    },
    "m_gu": {"name": "권도현", "position": "", "affiliation": "새누리교통연구소 책임연구원"},
    "m_baek": {"name": "백하린", "position": "", "affiliation": "한빛대학교 경영정보학과 교수"},
    "m_noh": {
        "name": "노승완",
        "position": "",
        "affiliation": "동해공과대학교 건설환경공학과 교수",
    },
    "m_ryu": {"name": "류재희", "position": "", "affiliation": "시민정보권리센터 정책실장"},
    "m_seol": {"name": "설가온", "position": "", "affiliation": "법무법인 누리 변호사"},
    "m_do": {"name": "도예린", "position": "", "affiliation": "한빛여성정책연구소 선임연구원"},
    "m_tak": {"name": "탁준영", "position": "", "affiliation": "(주)바른데이터랩 대표"},
    # Internal members
    "i_safety": {"name": "여운석", "position": "안전총괄관", "affiliation": "한빛시"},
    "i_digital": {"name": "맹수아", "position": "디지털정책관", "affiliation": "한빛시"},
    "i_labor": {"name": "채동혁", "position": "노동상생정책관", "affiliation": "한빛시"},
    # Secretary (간사)
    "secretary": {
        "name": "봉지훈",
        "position": "데이터정책팀장",
        "affiliation": "한빛시 데이터정책담당관",
    },
    # Non-member attendees (배석)
    "chief": {"name": "육은채", "position": "데이터수석", "affiliation": "한빛시"},
    "dept_head": {
        "name": "마현우",
        "position": "데이터정책담당관",
        "affiliation": "한빛시 데이터정책관",
    },
    "team_lead": {
        "name": "석준혁",
        "position": "빅데이터팀장",
        "affiliation": "한빛시 데이터정책담당관",
    },
    # Records staff (not on the roster, not an attendee)
    "archivist": {
        "name": "엄소정",
        "position": "기록연구사",
        "affiliation": "한빛시 정보공개정책과",
    },
}

# Roster: (person key, kind, role). kind: "external" or "internal".
# role: "chair", "vice_chair", "member" or "secretary".
ROSTER = [
    ("chair", "external", "chair"),
    ("vice_chair", "external", "vice_chair"),
    ("m_jang", "external", "member"),
    ("m_gu", "external", "member"),
    ("m_baek", "external", "member"),
    ("m_noh", "external", "member"),
    ("m_ryu", "external", "member"),
    ("m_seol", "external", "member"),
    ("m_do", "external", "member"),
    ("m_tak", "external", "member"),
    ("i_safety", "internal", "member"),
    ("i_digital", "internal", "member"),
    ("i_labor", "internal", "member"),
    ("secretary", "internal", "secretary"),
]

MEETING = {
    "year": 2026,
    "sequence": 1,
    "date": "2026-04-16",
    "start": "15:00",
    "end": "17:00",
    "place": "한빛시청 본관 대회의실(5층)",
    "document_date": "2026-04-01",
}

# Roster person keys who were absent (everybody else on the roster attended).
ABSENT = ["m_tak"]

# Non-member attendees (배석) in print order: ("person", key) or ("text", "담당 팀장 등");
# ("person", key, "담당 팀장 등") records a person covered by that group entry.
NON_MEMBER_ATTENDEES = [
    ("person", "chief"),
    ("person", "dept_head"),
    ("text", "담당 팀장 등"),
    # Speaks in the remarks, so recorded by name, but printed as part of the group.
    ("person", "team_lead", "담당 팀장 등"),
]

# Order of proceedings (진행순서): (depth, text), depth 0, 1 or 2; each line at most one level
# deeper than the line above.
PROCEEDINGS = [
    (0, "참석자 소개, 위원장 인사말씀, 위원장 및 부위원장 선출"),
    (0, "회의록 서명위원 선출"),
    (0, "데이터 정책 주요사업 안건 보고"),
    (1, "한빛시 데이터기반행정 중기 추진계획(안) 심의"),
    (1, "공공데이터 개방 실적 등 보고(자문) 안건 3건"),
    (0, "안건에 대한 추진과제 제안 및 토론(자문)"),
    (0, "폐회"),
]

# Agenda items: exactly 1 of kind "deliberation" and 3 of kind "report_advisory",
# numbered within their kind from 1. outcome: "passed_as_amended" for the deliberation,
# "received" for the reports.
AGENDA = [
    {
        "key": "d1",
        "kind": "deliberation",
        "number": 1,
        "title": "한빛시 데이터기반행정 중기 추진계획(2026~2028)(안) 수립",
        "outcome": "passed_as_amended",
    },
    {
        "key": "r1",
        "kind": "report_advisory",
        "number": 1,
        "title": "2025년 공공데이터 개방·품질관리 실적 보고",
        "outcome": "received",
    },
    {
        "key": "r2",
        "kind": "report_advisory",
        "number": 2,
        "title": "생활안전 빅데이터 분석과제 후보 선정 자문",
        "outcome": "received",
    },
    {
        "key": "r3",
        "kind": "report_advisory",
        "number": 3,
        "title": "광역 생활권 이동(출퇴근·통학) 데이터 구축·활용 보고",
        "outcome": "received",
    },
]

# Remarks in order: (speaker, label, agenda key or None, [statements]).
# speaker: a PEOPLE key of a roster member or a non-member attendee person, or None for the
# members together (then label "위원" and the statement "(다같이) 없음" or similar).
# label: the heading label: "간사" (the roster secretary), "위원장" (the chair), "위원"
# (a member), or a staff title for non-member attendees such as "팀장" or "수석".
REMARKS = [
    # --- Opening -------------------------------------------------------------------------
    (
        "secretary",
        "간사",
        None,
        [
            "개회 및 진행 안내, 재적위원 13명 중 12명이 출석하여 회의가 성립되었음을 보고함.",
            "위원 및 내부참석자 소개, 신규 위촉위원에 대한 위촉장 전달은 회의 종료 후 진행할 예정임.",
            "위원장 및 부위원장 선출 절차 안내, 위원 호선에 따라 오세린 위원을 위원장으로, 문태경 위원을 부위원장으로 선출함.",
        ],
    ),
    (
        "chair",
        "위원장",
        None,
        [
            "인사말씀: 데이터가 행정의 기본 자산이 되어 가는 시점에 위원회가 형식적 심의에 그치지 않고 실질적인 정책 자문 역할을 하도록 노력하겠음.",
            "회의록 서명위원 선출: 위원님들의 동의를 얻어 장민서 위원과 권도현 위원을 회의록 서명위원으로 선출함.",
        ],
    ),
    # --- Presentation of the items ---------------------------------------------------------
    (
        "secretary",
        "간사",
        None,
        [
            "(심의안건) 한빛시 데이터기반행정 중기 추진계획(2026~2028)(안) 수립",
            "(보고안건) 2025년 공공데이터 개방·품질관리 실적 보고",
            "(보고안건) 생활안전 빅데이터 분석과제 후보 선정 자문",
            "(보고안건) 광역 생활권 이동(출퇴근·통학) 데이터 구축·활용 보고",
        ],
    ),
    (
        "chair",
        "위원장",
        None,
        [
            "심의안건에 대해 먼저 질의와 논의를 진행하여 의결한 후, 이어서 보고안건 3건을 논의하는 순서로 진행하겠음.",
        ],
    ),
    # --- Deliberation item d1 ----------------------------------------------------------------
    (
        "m_baek",
        "위원",
        "d1",
        [
            "중기 추진계획의 3대 전략 중 '데이터 기반 의사결정 문화 확산' 과제의 구체적인 성과지표와 측정 방법에 대해 설명 요청.",
        ],
    ),
    (
        "secretary",
        "간사",
        "d1",
        [
            "정책 결정 과정에서 데이터 분석 결과를 활용한 사업 건수와 실국별 분석 의뢰 건수를 핵심 성과지표로 설정하였음.",
            "성과지표는 매년 하반기 실적 점검 시 측정하고, 그 결과를 위원회에 정기적으로 보고할 예정임.",
        ],
    ),
    (
        "m_noh",
        "위원",
        "d1",
        [
            "추진계획에 포함된 데이터 통합저장소 구축 사업은 예산 규모가 큰 만큼, 단계별 구축 범위와 기존 시스템과의 연계 방안이 명확히 제시될 필요가 있음.",
        ],
    ),
    (
        "team_lead",
        "팀장",
        "d1",
        [
            "통합저장소는 1단계로 2026년에 민원·교통·환경 분야 원천데이터를 우선 연계하고, 2027년 이후 복지·안전 분야로 연계 범위를 확대할 계획임.",
        ],
    ),
    (
        "m_ryu",
        "위원",
        "d1",
        [
            "시민 체감 서비스 부문에 고령층과 장애인 등 디지털 취약계층을 위한 데이터 서비스 과제가 빠져 있어 보완이 필요함.",
            "데이터를 개방할 때 누구나 이해할 수 있는 쉬운 설명 자료와 시각화 자료를 함께 제공하는 방안도 검토할 필요가 있음.",
        ],
    ),
    (
        "secretary",
        "간사",
        "d1",
        [
            "디지털 취약계층 대상 데이터 서비스를 시민 체감 서비스 부문의 신규 과제로 추가하는 방향으로 계획안을 수정하겠음.",
        ],
    ),
    (
        "i_safety",
        "위원",
        "d1",
        [
            "재난 대응 분야에서는 실시간 기상·하천 수위 데이터와 현장 CCTV 정보를 통합하여 판단하는 체계가 중요하므로, 중기계획에 안전 분야 실시간 데이터 연계 과제를 명시할 필요가 있음.",
        ],
    ),
    (
        "secretary",
        "간사",
        "d1",
        [
            "재난안전 상황관리 시스템과의 실시간 연계를 2027년 추진과제로 반영하고, 세부 일정은 소관 부서와 협의하여 확정할 예정임.",
        ],
    ),
    (
        "vice_chair",
        "위원",
        "d1",
        [
            "추진계획 전반에 AI 활용 과제가 다수 포함되어 있으나 학습데이터의 품질 관리와 편향 점검 절차가 제시되어 있지 않음. AI 모델 도입 전 데이터 품질 검증과 개인정보 영향평가를 필수 절차로 포함할 것을 제안함.",
        ],
    ),
    (
        "secretary",
        "간사",
        "d1",
        [
            "앞서 문태경 부위원장께서 말씀하신 데이터 품질 검증 절차는 '데이터 품질관리 지침' 개정과 연계하여 추진과제에 반영하겠음.",
        ],
    ),
    (
        "m_seol",
        "위원",
        "d1",
        [
            "가명정보 결합 수요가 늘어날 것으로 예상되나 결합전문기관 이용 절차가 복잡하여 실무 부서의 활용이 저조할 우려가 있음. 결합 신청부터 반출까지 지원하는 전담 창구 운영 방안에 대해 질의함.",
        ],
    ),
    (
        "secretary",
        "간사",
        "d1",
        [
            "데이터정책담당관 내에 가명정보 결합 지원 창구를 두고, 실국 담당자를 대상으로 절차 안내와 사전 상담을 제공할 예정임.",
            "올해 시범 결합과제 2건을 선정하여 절차상 애로사항을 정리하고, 그 결과를 관련 지침에 반영할 계획임.",
        ],
    ),
    (
        "chair",
        "위원장",
        "d1",
        [
            "중기계획은 3년간 추진되는 만큼 매년 여건 변화에 따라 과제를 조정할 수 있도록 연차별 점검 절차를 계획에 명시할 필요가 있음.",
        ],
    ),
    (
        "secretary",
        "간사",
        "d1",
        [
            "매년 1차 위원회에서 전년도 추진실적과 차년도 조정안을 보고하는 절차를 계획안에 추가하겠음.",
        ],
    ),
    (
        "i_digital",
        "위원",
        "d1",
        [
            "스마트도시 플랫폼에서 수집되는 각종 센서 데이터도 통합저장소 연계 대상에 포함하여 유사 시스템의 중복 구축을 방지할 필요가 있음.",
        ],
    ),
    (
        "team_lead",
        "팀장",
        "d1",
        [
            "스마트도시 플랫폼 센서 데이터는 1단계 연계 대상에 추가하는 것으로 검토하고, 데이터 형식 표준화는 양 부서 실무협의를 통해 진행하겠음.",
        ],
    ),
    (
        "m_do",
        "위원",
        "d1",
        [
            "데이터 전문인력 양성 과제의 목표가 교육 이수 인원 중심으로 되어 있어 실질적인 역량 향상을 보여주기 어려움. 교육 이후 실제 업무에 분석을 적용한 사례 수를 함께 관리할 필요가 있음.",
        ],
    ),
    (
        "chair",
        "위원장",
        "d1",
        [
            "논의된 취약계층 서비스 과제 추가, 안전 분야 실시간 연계, AI 데이터 품질 검증 절차, 연차별 점검 절차 등을 반영한 수정안으로 의결하고자 함.",
            "심의안건1 데이터기반행정 중기 추진계획 수정안에 대해 이의 있으십니까?",
        ],
    ),
    (
        None,
        "위원",
        "d1",
        [
            "(다같이) 없음",
        ],
    ),
    (
        "chair",
        "위원장",
        "d1",
        [
            "심의안건1 한빛시 데이터기반행정 중기 추진계획(안)은 오늘 논의된 의견을 반영한 수정안으로 통과되었음을 선포함.",
        ],
    ),
    (
        "chair",
        "위원장",
        None,
        [
            "이어서 보고안건 3건에 대해 토론하도록 하겠음. 질의나 의견이 있으신 위원께서는 말씀해 주시기 바람.",
        ],
    ),
    # --- Report item r1 ----------------------------------------------------------------------
    (
        "m_jang",
        "위원",
        "r1",
        [
            "2025년 개방 데이터 건수는 늘었으나 실제 내려받기나 API 호출이 거의 없는 데이터셋도 상당수 있는 것으로 보임. 활용도가 낮은 데이터의 원인을 분석한 결과가 있는지 질의함.",
        ],
    ),
    (
        "secretary",
        "간사",
        "r1",
        [
            "개방 데이터 약 4,200건 중 연간 활용 실적이 10회 미만인 데이터가 약 30% 수준으로 파악되었음.",
            "이용 수요가 적은 단순 목록형 데이터가 대부분이어서, 올해는 수요가 높은 데이터를 중심으로 갱신 주기와 API 제공 여부를 재점검할 예정임.",
        ],
    ),
    (
        "m_gu",
        "위원",
        "r1",
        [
            "공공데이터 품질 평가에서 '갱신 주기 준수율' 항목 점수가 상대적으로 낮게 나왔는데, 그 원인과 개선 계획에 대해 설명 요청.",
        ],
    ),
    (
        "team_lead",
        "팀장",
        "r1",
        [
            "원천 시스템이 각 실국에 분산되어 있어 갱신 시점에 자동 연계가 되지 않는 데이터가 많았음. 상반기 중 자동 갱신 연계 대상 시스템을 선정하여 순차적으로 적용할 예정임.",
        ],
    ),
    (
        "m_baek",
        "위원",
        "r1",
        [
            "데이터 오류를 이용자가 직접 신고할 수 있는 창구를 개방 포털에 마련하고 처리 결과를 공개하면 품질 개선과 신뢰도 향상에 도움이 될 것임.",
        ],
    ),
    (
        "secretary",
        "간사",
        "r1",
        [
            "하반기 개방 포털 개편 시 오류 신고 기능과 처리 현황 공개 기능을 추가하는 방안을 검토하겠음.",
        ],
    ),
    (
        "i_labor",
        "위원",
        "r1",
        [
            "노동 분야에서도 플랫폼 종사자 현황이나 산업재해 관련 데이터에 대한 시민 수요가 높음. 개방 우선순위를 정할 때 노동 분야 데이터도 함께 검토해 줄 것을 요청함.",
        ],
    ),
    (
        "secretary",
        "간사",
        "r1",
        [
            "노동 분야 소관 데이터 중 비식별 처리가 가능한 항목을 우선 발굴하여 하반기 개방 계획에 반영하겠음.",
        ],
    ),
    (
        "m_ryu",
        "위원",
        "r1",
        [
            "정부 평가 결과만을 목표로 개방 건수를 늘리기보다는 시민과 기업이 실제로 필요로 하는 데이터가 무엇인지 정기적으로 수요조사를 실시할 필요가 있음.",
        ],
    ),
    (
        "chief",
        "수석",
        "r1",
        [
            "평가 대응 위주에서 벗어나 활용 중심으로 개방 정책을 전환해야 한다는 의견에 공감함. 올해부터 수요조사 결과를 개방 계획 수립의 기준으로 삼도록 하겠음.",
        ],
    ),
    # --- Report item r2 ----------------------------------------------------------------------
    (
        "secretary",
        "간사",
        "r2",
        [
            "생활안전 분야 분석과제 후보 4건은 실국 수요조사와 타 지자체 사례 검토를 거쳐 선정하였으며, 오늘 자문 결과를 반영하여 5월 중 최종 2건을 확정할 예정임.",
            "후보 과제는 보행자 교통사고 위험구간 분석, 침수 취약지역 예측, 노후 건축물 안전점검 우선순위 분석, 야간 보행 안전 취약지점 분석임.",
        ],
    ),
    (
        "m_noh",
        "위원",
        "r2",
        [
            "침수 취약지역 예측 과제는 최근 국지성 호우가 잦아진 상황을 고려하면 시급성이 높다고 판단됨. 하수관로 용량과 지형 데이터의 확보 가능 여부를 먼저 확인할 필요가 있음.",
        ],
    ),
    (
        "team_lead",
        "팀장",
        "r2",
        [
            "하수관로 관리 데이터는 물순환 부서에서 보유하고 있어 연계가 가능하며, 지형 데이터는 국가 공간정보를 활용할 계획임.",
        ],
    ),
    (
        "i_safety",
        "위원",
        "r2",
        [
            "앞서 노승완 위원이 말씀하신 바와 같이 침수 예측은 시급한 과제이며, 예측 결과는 현장 대응 부서가 즉시 활용할 수 있도록 상황실 시스템에 표출되는 형태로 개발될 필요가 있음.",
        ],
    ),
    (
        "vice_chair",
        "위원",
        "r2",
        [
            "보행자 교통사고 위험구간 분석은 중앙부처에서 유사한 표준 분석모델을 이미 제공하고 있으므로 중복 여부를 확인할 필요가 있음.",
            "중복되는 경우 표준모델을 한빛시 여건에 맞게 보정하여 활용하고, 절감된 예산은 다른 과제에 투입하는 것이 바람직함.",
        ],
    ),
    (
        "secretary",
        "간사",
        "r2",
        [
            "중앙부처 표준모델은 광역 단위 교통량 자료를 기반으로 하여 생활도로 단위 분석에는 한계가 있음. 표준모델과의 차이를 정리하여 과제 선정 시 참고하겠음.",
        ],
    ),
    (
        "m_seol",
        "위원",
        "r2",
        [
            "노후 건축물 안전점검 우선순위 분석에 사용하는 건축물대장 정보는 실제 건물 상태와 차이가 있는 경우가 많으므로 현장 점검 결과 데이터를 함께 반영해야 함.",
        ],
    ),
    (
        "m_do",
        "위원",
        "r2",
        [
            "야간 보행 안전 취약지점 분석은 가로등, CCTV, 유동인구 데이터를 결합하는 과제로, 여성과 1인 가구의 체감 안전도 조사 결과를 함께 활용하면 정책 효과가 높을 것임.",
        ],
    ),
    (
        "secretary",
        "간사",
        "r2",
        [
            "위원님들께서 주신 의견을 종합하여 시급성, 데이터 확보 가능성, 정책 활용도를 기준으로 평가표를 작성하고 그 결과를 서면으로 공유하겠음.",
        ],
    ),
    (
        "chair",
        "위원장",
        "r2",
        [
            "분석과제는 모델 개발로 끝나지 않고 실제 부서의 업무 개선으로 이어지는지가 중요하므로, 과제별로 활용 부서와 적용 시점을 사전에 확정해 둘 것을 당부함.",
        ],
    ),
    (
        "m_ryu",
        "위원",
        "r2",
        [
            "분석 결과를 자치구와 공유할 때 구별 여건에 맞게 조정할 수 있도록 분석 코드와 데이터 명세를 함께 제공하는 방안을 검토할 필요가 있음.",
        ],
    ),
    (
        "team_lead",
        "팀장",
        "r2",
        [
            "분석 결과물은 분석 코드, 데이터 명세서, 활용 안내서를 묶어 자치구에 배포하고, 구 담당자를 대상으로 설명회를 개최할 예정임.",
        ],
    ),
    # --- Report item r3 ----------------------------------------------------------------------
    (
        "chair",
        "위원장",
        "r3",
        [
            "광역 생활권 이동 데이터는 인접 시·군과의 협의가 필요한 사업인데, 현재 협의 진행 상황은 어떠한지 설명 요청.",
        ],
    ),
    (
        "secretary",
        "간사",
        "r3",
        [
            "지난해 인접 3개 시·군과 실무협의체를 구성하였고, 통신사 데이터를 기반으로 500m 격자 단위 출퇴근·통학 이동 데이터를 시범 구축하였음.",
            "행정 내부에는 격자 단위로, 시민에게는 읍·면·동 단위로 개방할 예정이며, 지역 연구기관을 대상으로 활용 과제도 공모할 계획임.",
        ],
    ),
    (
        "m_jang",
        "위원",
        "r3",
        [
            "통신 기반 이동 데이터는 표본 보정 방식에 따라 결과 차이가 크므로, 산출 방법론과 보정 기준을 문서로 공개하여 이용자가 한계를 이해하고 활용할 수 있도록 해야 함.",
        ],
    ),
    (
        "m_gu",
        "위원",
        "r3",
        [
            "이동 데이터를 대중교통 노선 조정에 활용하려면 교통카드 승하차 데이터와 결합한 분석이 필요하며, 결합 시 개인 식별 가능성에 대한 사전 검토를 철저히 해야 함.",
            "결합 결과는 일정 인원 이하 구간을 공개 대상에서 제외하는 등 재식별 방지 기준을 마련할 필요가 있음.",
        ],
    ),
    (
        "secretary",
        "간사",
        "r3",
        [
            "교통카드 데이터와의 결합은 가명처리 후 결합전문기관을 통해 진행하고, 소규모 집계값은 비공개 처리하는 기준을 적용할 예정임.",
        ],
    ),
    (
        "i_digital",
        "위원",
        "r3",
        [
            "이동 데이터가 구축되면 스마트도시 통합 대시보드에도 표출하여 각 실국이 공통으로 활용할 수 있도록 연계해 줄 것을 요청함.",
        ],
    ),
    (
        "m_seol",
        "위원",
        "r3",
        [
            "데이터 개방 시 파일 내려받기와 함께 API를 제공하여 민간에서 실시간 서비스 개발에 활용할 수 있도록 하고, 지역 대학의 수업 과제로도 활용되도록 안내할 필요가 있음.",
        ],
    ),
    (
        "team_lead",
        "팀장",
        "r3",
        [
            "현재 개방 데이터 중 API 형태로 제공되는 데이터는 약 2,700건이며, 이동 데이터도 파일과 API를 함께 제공할 예정임.",
        ],
    ),
    (
        "m_do",
        "위원",
        "r3",
        [
            "앞서 장민서 위원이 지적한 방법론 공개와 관련하여, 이용자 문의가 많은 항목은 자주 묻는 질문 형태로 정리하여 함께 게시하는 것이 좋겠음.",
        ],
    ),
    (
        "chief",
        "수석",
        "r3",
        [
            "광역 이동 데이터는 생활권 확대에 대응하는 정책의 기초자료가 될 것임. 인접 지자체와의 협력을 제도화하기 위해 업무협약 체결을 추진하고, 오늘 주신 의견은 부서별로 검토하여 다음 위원회에 반영 결과를 보고하겠음.",
        ],
    ),
    # --- Closing -----------------------------------------------------------------------------
    (
        "chair",
        "위원장",
        None,
        [
            "이상으로 2026년 제1차 한빛시 데이터정책위원회를 마치겠음. 바쁘신 가운데 참석하여 좋은 의견을 주신 위원님들께 감사드림.",
        ],
    ),
]

# Decisions: agenda key or None (e.g. electing the chair, electing the two signing members),
# the question as put, method "no_objection", outcome "passed" or "passed_as_amended".
RESOLUTIONS = [
    {
        "agenda": None,
        "question": "위원 호선에 의한 위원장 선출",
        "method": "no_objection",
        "outcome": "passed",
    },
    {
        "agenda": None,
        "question": "위원 호선에 의한 부위원장 선출",
        "method": "no_objection",
        "outcome": "passed",
    },
    {
        "agenda": None,
        "question": "회의록 서명위원 2명 선출",
        "method": "no_objection",
        "outcome": "passed",
    },
    {
        "agenda": "d1",
        "question": "심의안건1 한빛시 데이터기반행정 중기 추진계획(2026~2028)(안) 수정안 의결",
        "method": "no_objection",
        "outcome": "passed_as_amended",
    },
]

# Signature block: two signers (external members who attended, elected at this meeting),
# the confirmer (the head of the department, also listed in NON_MEMBER_ATTENDEES) and the
# author (the roster secretary). ("signer"|"confirmer"|"author", person key)
SIGNATORIES = [
    ("signer", "m_jang"),
    ("signer", "m_gu"),
    ("confirmer", "dept_head"),
    ("author", "secretary"),
]

# Demo logins (password is the same for all and set by the loader): username, person key
# (or None), and what they are: "secretary", "signer", "confirmer", "archivist", "admin".
ACCOUNTS = [
    ("secretary", "secretary", "secretary"),
    ("signer1", "m_jang", "signer"),
    ("signer2", "m_gu", "signer"),
    ("confirmer", "dept_head", "confirmer"),
    ("archivist", "archivist", "archivist"),
    ("admin", None, "admin"),
]
