"""Every XForm the platform serves passes ODK Validate (JavaRosa, the validator pyxform ships),
run with real Java; a form JavaRosa cannot load is refused at upload."""

import shutil

import pytest

from mercuryhub.forms.conversion import XLSFormError, _odk_validate, convert_xlsform, odk_validate
from tests.forms.conftest import builtin

needs_java = pytest.mark.skipif(
    shutil.which("java") is None,
    reason="ODK Validate needs Java: apt-get install default-jre-headless (.ci/run does)",
)


@needs_java
@pytest.mark.parametrize("name", ["wma_needs", "asgm_site_baseline"])
def test_the_built_in_forms_pass_odk_validate(settings, name):
    settings.FORMS_ODK_VALIDATE = True
    conversion = convert_xlsform(builtin(name))

    assert odk_validate(conversion.xml) == []
    assert conversion.warnings == []


@needs_java
def test_an_xform_javarosa_cannot_load_is_refused_with_its_message(settings):
    settings.FORMS_ODK_VALIDATE = True
    xml = convert_xlsform(builtin("asgm_site_baseline")).xml
    broken = xml.replace(
        'nodeset="/data/miners" type="int"',
        'nodeset="/data/miners" type="int" relevant="/data/nowhere + "',
    )

    with pytest.raises(XLSFormError) as refused:
        odk_validate(broken)

    assert refused.value.problems
    assert all(problem["message"].startswith("ODK Validate:") for problem in refused.value.problems)


@needs_java
def test_an_xform_passed_once_is_not_validated_again_and_a_refused_one_always_is(settings):
    settings.FORMS_ODK_VALIDATE = True
    xml = convert_xlsform(builtin("wma_needs")).xml + "\n"  # an XForm not checked before
    before = _odk_validate.cache_info()
    assert odk_validate(xml) == []
    assert odk_validate(xml) == []
    after = _odk_validate.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)

    broken = convert_xlsform(builtin("asgm_site_baseline")).xml.replace(
        'nodeset="/data/miners" type="int"',
        'nodeset="/data/miners" type="int" relevant="/data/nowhere + "',
    )
    for _attempt in range(2):
        with pytest.raises(XLSFormError):
            odk_validate(broken)
