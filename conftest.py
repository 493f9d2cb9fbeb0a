"""The fixed cast every test can call on, as Zulip's tests share named users.

    admin             platform administrator
    officer_jiashan   talent-office officer of 嘉善县 (330421), in the 示范区 alliance
    officer_qingpu    officer of 青浦区 (310118), the same alliance
    officer_qingtian  officer of 青田县 (331121), in 丽水 "1+9"
    officer_lishui    officer of 丽水市 (331100), covering its nine county-level units
    enterprise_user   acts for 浙江福莱新材料 (嘉善)
    enterprise_qingtian  acts for 浙江侠峰精密压铸 (青田)
    institution_user  acts for 杭州电子科技大学嘉善研究院
    talent_user       谭刚: home 杭州西湖区, employed by 浙江大学, serving 福莱 in 嘉善
    student_user      a graduate student of 浙江大学 in joint training at 浙江中扬立库 (嘉善)
    provider_qingpu   a talent-apartment provider in 青浦
    association_user  黄岩区模具行业协会
    finance_jiashan   finance officer (财政) of 嘉善县: reviews and pays 嘉善's subsidies

Reference data (regions, taxonomies, alliances) is loaded once per test database.
"""

from __future__ import annotations

import pytest

from talentflow.tests.cast import Cast, build_cast
from talentflow.tests.factories import TEST_PASSWORD


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from talentflow.reference.loaders import reference_load

        reference_load()


@pytest.fixture
def reference_data(transactional_db):
    """For transactional tests (live server): reload what a flush removed."""
    from talentflow.reference.loaders import reference_load

    reference_load()


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture
def password() -> str:
    return TEST_PASSWORD
