"""The safeguarding detector: its quality gate, its data, its rules and its safety response."""

from __future__ import annotations

import dataclasses
import re

import pytest

from bench.safety_eval import load_labelled_set
from bench.safety_examples import comparison_key
from safety import CATEGORIES, SafetyAssessment, assess, safety_message
from safety.classifier import (
    MAX_CV_FALSE_POSITIVE_RATE,
    MODEL,
    MODELS,
    THRESHOLD,
    best_model,
    compare_models,
    cross_validated_threshold,
    load_training_set,
)
from safety.context import set_aside_past_and_benign
from safety.model_file import get_classifier
from safety.rules import HARD_NEGATIVE_RULES, RISK_RULES, apply_rules, mask_hard_negatives, prepare
from safety.semantic import SentenceEncoder, get_encoder
from safety.text import normalise
from settings import Settings, get_settings


def judge(text: str) -> SafetyAssessment:
    """``assess`` with the classifier the session trained into the models directory."""
    return assess(text, get_classifier(get_settings().models_dir))


def training_encoder() -> SentenceEncoder:
    """An encoder that reads the training vectors the session keeps beside the model, as training does."""
    return SentenceEncoder(cache_dir=get_settings().models_dir)


def test_quality_gate_on_the_labelled_set() -> None:
    messages = load_labelled_set()
    verdicts = [(m, judge(m.text).at_risk) for m in messages]
    positives = [flagged for m, flagged in verdicts if m.at_risk]
    negatives = [flagged for m, flagged in verdicts if not m.at_risk]
    missed = [m.text for m, flagged in verdicts if m.at_risk and not flagged]
    assert not missed, f"combined recall must be 1.0; missed: {missed}"
    assert sum(positives) / len(positives) == 1.0
    false_positive_rate = sum(negatives) / len(negatives)
    assert false_positive_rate <= 0.03, [m.text for m, flagged in verdicts if flagged and not m.at_risk]


def test_labelled_set_has_the_required_shape() -> None:
    messages = load_labelled_set()
    at_risk = [m for m in messages if m.at_risk]
    not_at_risk = [m for m in messages if not m.at_risk]
    assert len(messages) >= 170
    assert len(at_risk) >= 60
    assert len(not_at_risk) >= 110
    assert sum(m.hard_negative for m in not_at_risk) >= 45
    assert {m.category for m in at_risk} == set(CATEGORIES)


def test_training_set_is_large_enough_and_covers_every_category() -> None:
    messages = load_training_set()
    assert len(messages) >= 900
    at_risk = [m for m in messages if m.at_risk]
    assert {m.category for m in at_risk} == set(CATEGORIES)
    assert all(sum(m.category == category for m in at_risk) >= 50 for category in CATEGORIES)
    assert sum(m.hard_negative for m in messages) >= 250


def test_training_and_evaluation_sets_are_disjoint() -> None:
    training = {comparison_key(m.text) for m in load_training_set()}
    overlap = [m.text for m in load_labelled_set() if comparison_key(m.text) in training]
    assert not overlap


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i want to kill myself", "suicide_self_harm"),
        ("kil myself", "suicide_self_harm"),
        ("KILL MY SELF", "suicide_self_harm"),
        ("wanna die", "suicide_self_harm"),
        ("i want 2 die", "suicide_self_harm"),
        ("i just want to dieeee", "suicide_self_harm"),
        ("end it all", "suicide_self_harm"),
        ("thinking about unaliving myself", "suicide_self_harm"),
        ("kms", "suicide_self_harm"),
        ("feeling sucidal tonight", "suicide_self_harm"),
        ("she's self-harming again", "suicide_self_harm"),
        ("i don't see the point any more.", "suicide_self_harm"),
        ("my stepdad touched me and said its our secret", "child_abuse_neglect"),
        ("older lads are making him sell drugs", "child_abuse_neglect"),
        ("my partner hits me", "domestic_abuse"),
        ("my ex is threatening me again", "domestic_abuse"),
        ("he's got a knife", "immediate_danger"),
        ("i cant keep myself safe", "immediate_danger"),
        ("she is missing", "missing_person"),
        ("no one knows where she is", "missing_person"),
        ("my son hasnt come home", "missing_person"),
        # The child named with a few words between: what kind of child, and what plan.
        ("our 13yo girl (SEMH needs, EHCP) didnt come home from school, its now 7pm", "missing_person"),
        ("he is having a seizure and it wont stop", "medical_emergency"),
        ("she's not breathing", "medical_emergency"),
        ("he swallowed a button battery", "medical_emergency"),
    ],
)
def test_must_catch(text: str, category: str) -> None:
    assessment = judge(text)
    assert assessment.at_risk
    assert assessment.urgent
    assert category in assessment.categories


@pytest.mark.parametrize(
    "text",
    [
        "my daughter is at risk of exclusion",
        "he is killing it at school",
        "the wait is killing me",
        "dying to know what the panel said",
        "my son has a safeguarding plan at school, what is that",
        "what is the safeguarding policy",
        "she is a danger to herself in PE? no, she is just clumsy",
        "the school need a risk assessment for the trip",
        "who is the DSL",
        "child protection training for staff",
        "my son has no sense of danger, what support is there",
        "he is missing school because of anxiety",
        "the draft plan is missing his speech therapy",
        "i could kill him, he lost his coat again",
        "You've saved my life today haha, honestly thank you",
        "our keyworker has been an absolute lifesaver",
        "my mum will kill me if she sees my report",
        "she wants to die her hair pink",
        "personal grooming skills at college",
        "suicide prevention training for teachers",
        "how do i ask for an ehc needs assessment",
        "",
    ],
)
def test_must_not_catch(text: str) -> None:
    assessment = judge(text)
    assert not assessment.at_risk
    assert not assessment.urgent
    assert assessment.categories == ()


def test_a_masked_idiom_does_not_hide_a_risk_in_the_same_message() -> None:
    text = "he is killing it at school but last night he told me he wants to kill himself"
    assessment = judge(text)
    assert assessment.at_risk
    assert "hn.idiom_killing" in assessment.hard_negatives
    assert "suicide.kill_self" in assessment.rule_matches


def test_assessment_names_rules_never_the_users_words() -> None:
    known = {rule.id for rule in RISK_RULES}
    assessment = judge("my ex turned up and hit me in front of the kids")
    assert assessment.rule_matches
    assert set(assessment.rule_matches) <= known
    assert {rule.id for rule in HARD_NEGATIVE_RULES}.isdisjoint(known)
    with pytest.raises(dataclasses.FrozenInstanceError):
        assessment.at_risk = False  # type: ignore[misc]


def test_a_rule_of_no_one_kind_gets_its_category_from_the_classifier() -> None:
    assessment = judge("he punched me")
    assert assessment.rule_matches == ("harm.someone_hurts_me",)
    assert len(assessment.categories) == 1
    assert assessment.categories[0] in CATEGORIES


def test_classifier_catches_a_paraphrase_no_rule_matches() -> None:
    text = "im 16 and i feel like a weight everyone has to carry, they would all be happier with me gone"
    prepared, _ = prepare(text)
    assert not [rule.id for rule in RISK_RULES if rule.pattern.search(prepared)]
    assessment = judge(text)
    assert assessment.classifier_score >= THRESHOLD
    assert assessment.at_risk


def test_the_classifier_is_the_chosen_model_and_embeds_a_message_once() -> None:
    classifier = get_classifier(get_settings().models_dir)
    assert classifier.model == MODEL
    for message in load_labelled_set()[::11]:
        prepared, _ = prepare(message.text)
        vector = get_encoder().vector(prepared)
        both = classifier.score_and_category(prepared)
        assert both == (classifier.score(prepared), classifier.category(prepared))
        assert both == classifier.score_and_category(prepared, vector=vector)
        assert classifier.score(prepared, vector=vector) == both[0]


def test_model_and_threshold_are_the_ones_cross_validation_on_the_training_set_chooses() -> None:
    encoder = training_encoder()
    # On the messages written for the detector: the families' messages join the fitted model after.
    written = load_training_set(family_file=None)
    choices = compare_models(written, encoder=encoder)
    assert set(choices) == set(MODELS)
    assert best_model(choices) == MODEL
    choice = choices[MODEL]
    assert choice == cross_validated_threshold(written, encoder=encoder)
    assert choice.threshold == THRESHOLD
    assert choice.false_positive_rate <= MAX_CV_FALSE_POSITIVE_RATE
    # The embeddings are the point: the chosen model must beat words alone out of fold.
    assert choice.recall > choices["lexical"].recall


def test_the_encoder_remembers_training_texts_but_not_the_messages_it_judges() -> None:
    encoder = get_encoder()
    encoder.training_vectors(["a training sentence about short breaks"])
    remembered = encoder.remembered
    vector = encoder.vector("a message from a family that must not be kept")
    assert encoder.remembered == remembered > 0
    assert vector.shape == (384,)
    assert abs(float(vector @ vector) - 1.0) < 1e-4


def test_judging_a_message_leaves_torch_thread_count_as_it_was() -> None:
    import torch

    before = torch.get_num_threads()
    get_encoder().vector("is there a holiday club in stroud")
    assert torch.get_num_threads() == before


# --- clauses whose harm is over, or was never harm ---


@pytest.mark.parametrize(
    "text",
    [
        "my daughter self harmed years ago and is doing well now, what support is there at university",
        "he took an overdose six years ago and has recovered, can he do an apprenticeship",
        "i used to cut myself but that stopped a long time ago, will college ask about it",
        "we left my violent ex five years ago and we are safe now. the new school wants our history",
        "my son attempted suicide. that was four years ago and he is in a good place now",
        "he had suicidal thoughts when he was 12 but he has been well for three years",
        "in the past she has been sectioned but she is stable now and wants her own flat",
    ],
)
def test_harm_that_is_clearly_over_is_not_caught(text: str) -> None:
    assessment = judge(text)
    assert not assessment.at_risk, assessment
    assert "context.past_resolved" in assessment.hard_negatives


@pytest.mark.parametrize(
    "text",
    [
        "she self harmed years ago and was doing well, but last night she cut her arms again",
        "my ex hit me a long time ago. now he is back and he hit me yesterday",
        "my son took an overdose six years ago and is fine now. tonight he told me he wants to die",
        "he used to self harm and now hes started again",
        "we fled domestic abuse years ago but he has found us and keeps turning up",
        "she recovered from the overdose in hospital but she still says she wants to die",
        "he tried to hang himself when he was 13 and i am scared he will do it again",
        "my partner used to be lovely, he hits me now",
        "years ago my dad hit me, now he hits my little sister",
        "he recovered from the overdose and he is planning another one",
        "my ex was violent years ago and he has just moved in round the corner and watches the house",
        "i was abused as a child and my abuser is living with my kids",
        "her birth dad used to make her sleep in his bed and she goes for contact on saturday",
        "my daughter had seizures when she was little and right now she is fitting and wont stop",
    ],
)
def test_a_past_mention_does_not_hide_a_present_risk(text: str) -> None:
    assessment = judge(text)
    assert assessment.at_risk, assessment
    assert "context.past_resolved" not in assessment.hard_negatives


def test_only_the_clause_that_is_over_is_set_aside() -> None:
    masked, _ = mask_hard_negatives(normalise("she cut herself years ago. my son is missing"))
    outcome = set_aside_past_and_benign(masked)
    assert outcome.reasons == ("context.past_resolved",)
    assert outcome.text == "# . my son is missing"
    assert judge("my daughter overdosed six years ago and is fine now. my son is missing").at_risk


@pytest.mark.parametrize(
    "text",
    [
        "my autistic son flinches when anyone touches him, is that sensory",
        "we are sick of living in limbo waiting for the council to decide",
        "she came home with a cut on her knee from the playground",
        "he bruises easily because of his hypermobility, does the school need a care plan",
        "the ot has not been seen for 3 weeks because of staff shortages",
        "my dad was drunk at the christmas party and embarrassed me",
        "his room is filthy and he will not let anyone tidy it, is that part of his autism",
        "my son makes me sleep in his bed because of his anxiety, how do we stop co-sleeping",
        "he met a friend on minecraft, is online gaming ok for autistic kids",
        "the school asked for photos of his work for the ehcp request",
        "he wears the same hoodie every day because of sensory issues",
    ],
)
def test_everyday_injuries_sensory_flinching_and_waiting_are_not_caught_by_a_rule(text: str) -> None:
    assert not judge(text).rule_matches


@pytest.mark.parametrize(
    "text",
    [
        "the school thought the marks on her arms were self harm but it is eczema, the dermatologist confirmed",
        "the pe teacher asked about the marks on her legs, they are from her splints",
        "the childminder asked if the burn on his hand was abuse, it was a friction burn from the slide",
    ],
)
def test_marks_mistaken_for_harm_are_not_caught(text: str) -> None:
    assessment = judge(text)
    assert not assessment.at_risk, assessment
    assert "context.benign_marks" in assessment.hard_negatives


@pytest.mark.parametrize(
    "text",
    [
        "my daughter has eczema and she has been cutting herself",
        "the school thought the marks were eczema but she told me her dad burns her",
    ],
)
def test_a_skin_condition_does_not_hide_harm(text: str) -> None:
    assert judge(text).at_risk


# --- games, idioms, schoolwork and process words ---


@pytest.mark.parametrize(
    "text",
    [
        "he shouts im going to kill you at his mates while playing fortnite, is that normal",
        "my son and his cousin spend the weekend shooting zombies in minecraft",
        "he got a nerf gun for his birthday",
        "my son overdosed on sweets at the party",
        "we all overdosed on chocolate at easter",
        "my daughter is doing a school project on self harm services in gloucestershire",
        "im writing an essay about domestic violence and disabled women",
        "the school sent me their missing person protocol to sign",
        "can i see the colleges suicide prevention policy",
        "my son goes missing in his own head, could it be absence seizures",
    ],
)
def test_games_idioms_schoolwork_and_process_words_are_not_caught(text: str) -> None:
    assessment = judge(text)
    assert not assessment.at_risk, assessment


@pytest.mark.parametrize(
    "text",
    [
        "he searched how to kill himself on youtube",
        "he plays fortnite all night and says he wants to die",
        "he said he will kill me if i turn off the xbox",
        "my daughter is doing a school project on self harm, but she has been self harming too",
        "my son is missing, what is the missing person procedure",
        "my son overdosed on his epilepsy tablets",
    ],
)
def test_a_real_risk_next_to_those_words_is_still_caught(text: str) -> None:
    assert judge(text).at_risk


# --- being excluded from school or college is not being kicked ---


@pytest.mark.parametrize(
    "text",
    [
        "my college says they cant meet my needs. can they just kick me out when i have an ehcp?",
        "the college said they might kick me out if my attendance doesnt improve",
        "can a school kick my son out for not wearing the uniform",
        "will they kick him out of the nursery for biting",
        "the sixth form kicked her out of the course without a meeting",
    ],
)
def test_being_excluded_from_school_or_college_is_not_a_kick(text: str) -> None:
    outcome = apply_rules(text)
    assert "harm.someone_hurts_me" not in outcome.matches
    assert "hn.kicked_out_of_education" in outcome.hard_negatives
    assert not judge(text).at_risk


@pytest.mark.parametrize(
    "text",
    [
        "my dad kicked me out last night and i have nowhere to sleep",
        "my stepdad kicked me out of the house",
        "can they kick me out of home at 16",
        "the college is fine but my brother kicked me in the stomach",
        "can they kick me out of college? also my dad kicks me every night",
    ],
)
def test_a_kick_or_being_put_out_of_home_is_still_caught(text: str) -> None:
    assert "harm.someone_hurts_me" in apply_rules(text).matches
    assert judge(text).at_risk


@pytest.mark.parametrize(
    "text",
    [
        "his mum keeps saying she will take him to her family overseas and i will never see him again",
        "my ex threatened to take our daughter out of the country once the court case is over",
        "any swimming clubs for a 9 year old? also my husband says hell run off with the kids if i leave",
    ],
)
def test_a_threat_to_take_a_child_away_for_good_is_caught(text: str) -> None:
    assert judge(text).at_risk


@pytest.mark.parametrize(
    "text",
    [
        "his dad is taking him abroad on holiday in august, does he need a letter from me",
        "can we take him out of the country for a wedding during term time with his ehcp",
        "my husbands been pushing me to apply for dla for her, is it worth it",
    ],
)
def test_a_trip_abroad_or_a_push_to_apply_is_not_a_threat(text: str) -> None:
    assert not apply_rules(text).matches


def test_a_child_found_straight_away_is_not_missing_but_one_still_out_is() -> None:
    found = "my son wandered off at the park for a minute, we found him by the swings straight away"
    assert "missing.ran_away" not in apply_rules(found).matches
    for text in (
        "he ran off an hour ago, we found his bike by the river",
        "she ran off after school and we havent found her",
    ):
        assert "missing.ran_away" in apply_rules(text).matches
        assert judge(text).at_risk


# --- kinds of message the first version missed (our own wording) ---


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("i will not be around by the spring so dont bother with the college place", "suicide_self_harm"),
        ("ive sorted my things so my dad doesnt have to deal with it after", "suicide_self_harm"),
        ("ive written letters for everyone in my family", "suicide_self_harm"),
        ("my husband hurled a plate at me", "domestic_abuse"),
        ("my ex breached the nmo again", "domestic_abuse"),
        ("he takes all my money and ignores me for days if i buy anything", "domestic_abuse"),
        ("im a young carer and my dad throws stuff at mum when hes been drinking", "domestic_abuse"),
        ("i am terrified i will hurt my baby, i havent slept for days", "child_abuse_neglect"),
        ("my autistic son isnt back yet, its 10pm and his phone keeps going to voicemail", "missing_person"),
        ("my toddler bit a dishwasher pod", "medical_emergency"),
        ("my son is being abused at school", "child_abuse_neglect"),
        ("im so tired of living tbh", "suicide_self_harm"),
        ("he came home with a mark on his neck and wont say how he got it", "child_abuse_neglect"),
        ("a year 8 keeps coming into school with bruises and flinches when staff come near", "child_abuse_neglect"),
        ("one of our pupils came in to school with fresh bruises again today", "child_abuse_neglect"),
        ("a 17 year old in supported accommodation has not been seen for 3 days", "missing_person"),
        ("ive stopped eating, i just dont deserve food", "suicide_self_harm"),
        ("a man i met on roblox keeps asking me for pics, is there a club for autistic teens", "child_abuse_neglect"),
        ("some nights i think about driving the car into a wall", "suicide_self_harm"),
        ("the toddler has come to nursery in the same dirty clothes three days running", "child_abuse_neglect"),
        ("visited a baby at home, the home was very neglected and mum appeared intoxicated", "child_abuse_neglect"),
        (
            "sorry, hard to think straight, my wifes been knocking me about again. anyway about the blue badge",
            "domestic_abuse",
        ),
        ("my boyfriends been shoving me into the wall when hes angry", "domestic_abuse"),
    ],
)
def test_quiet_and_indirect_risks_are_caught(text: str, category: str) -> None:
    assessment = judge(text)
    assert assessment.at_risk, assessment
    assert category in assessment.categories


# --- risks a safety set written on 2026-12-07 (holdout16) found the rules blind to (our own wording) ---


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("hes saying hell post the pictures to her whole class unless she sends more", "abuse.online_images"),
        ("an older lad on discord got my son to send photos of himself", "abuse.online_images"),
        ("their dad turned up steaming and put the two kids in the car to drive off", "danger.attack_now"),
        ("the coach was plastered and was about to drive off with three of the team", "danger.attack_now"),
        ("ive sort of made a plan for saturday when my parents are away", "suicide.quiet_plans"),
        ("he keeps saying he wants to turn his ventilator off", "suicide.quiet_plans"),
        ("my stepdad shoved him down the stairs again tonight", "harm.held_or_choked"),
    ],
)
def test_the_rules_catch_what_holdout16_showed_them_blind_to(text: str, rule: str) -> None:
    assert rule in apply_rules(text).matches


@pytest.mark.parametrize(
    "text",
    [
        "my ex was pissed off and drove off without saying goodbye to the kids",
        "we have a plan for friday: cinema, then pizza",
        "can we send the photos to the school before the review unless they already have them",
    ],
)
def test_those_rules_leave_ordinary_messages_alone(text: str) -> None:
    assert not apply_rules(text).matches


# --- understated risks a safety set written on 2026-12-07 (holdout17) found the rules blind to (our own wording) ---


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("ive looked up how many of my tablets it would take", "suicide.means"),
        ("i sit with the meds box some nights thinking about taking the lot myself", "suicide.means"),
        ("at lunch i go up to the top of the car park and stand there thinking about it", "suicide.jump"),
        ("she said she stood on the railway bridge on her way back for ages just deciding", "suicide.jump"),
        ("he texted that we would all have an easier life without him around", "suicide.want_to_die"),
        ("she told me she wants to die and that shes thought about how.", "suicide.want_to_die"),
        ("what happens to my esa when i die, ive made my mind up anyway", "suicide.self_harm"),
        ("hes been scratching his legs with the point of a compass every night", "suicide.self_harm"),
        ("her sats are 86 and still dropping and she is working hard to breathe", "medical.breathing_or_unresponsive"),
        ("we were one child short at the register after the trip, last seen 20 mins ago", "missing.missing"),
        ("staff are searching the grounds for her now", "missing.cant_find"),
    ],
)
def test_the_rules_catch_what_holdout17_showed_them_blind_to(text: str, rule: str) -> None:
    assert rule in apply_rules(text).matches


@pytest.mark.parametrize(
    "text",
    [
        "his sats were 104 this year, what secondary support is there",
        "we went to the top of the car park to see the fireworks, is there parking for blue badges",
        "is there a first aid course on what to do if a child overdoses by accident",
        "the class would have an easier life without the building work, when will it finish",
        "what happens to his pip if he dies, we have made our minds up about the will",
    ],
)
def test_the_holdout17_rules_leave_ordinary_messages_alone(text: str) -> None:
    assert not apply_rules(text).matches


# --- understated risks, some told through what someone did, that holdout18 (2026-12-07) found the rules
# blind to (our own wording) ---


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("theres a man by the school gate with a knife in his waistband asking for my son", "danger.weapon"),
        ("her boyfriend shook her when she wouldnt stop crying, she is 6 weeks old", "abuse.physical_and_neglect"),
        ("the carbon monoxide alarm keeps beeping and we all feel sick", "danger.fire_or_road"),
        ("ive been holding a lighter to my wrist when things get too much", "suicide.self_harm"),
        ("i gave my guitar to my cousin yesterday, it doesnt really matter now", "suicide.quiet_plans"),
        ("she has written letters to each of us and asked my sister to have the kids", "suicide.quiet_plans"),
        ("grandad was asleep in the chair at lunchtime and couldnt be woken", "medical.breathing_or_unresponsive"),
        ("the club rang, they do not know when she left the hall", "missing.cant_find"),
        ("one of the reception children is not in the line and the fire door was propped open", "missing.cant_find"),
        ("the coach keeps messaging him on whatsapp and told him to keep it between the two of them", "abuse.secret"),
        ("she came back from contact with bruises on her wrists that look like fingers", "abuse.physical_and_neglect"),
    ],
)
def test_the_rules_catch_what_holdout18_showed_them_blind_to(text: str, rule: str) -> None:
    assert rule in apply_rules(text).matches


@pytest.mark.parametrize(
    "text",
    [
        "ive given my old school shoes to my cousin because were moving and it doesnt matter now",
        "the gas alarm needs a new battery, who pays for it in council housing",
        "he shakes his hands when he is excited, is that stimming",
        "the english mock is going to kill us all, how do access arrangements work",
        "mum will murder me when she sees my report, can the school add my ehcp targets",
        "he would rather die than do another spelling test, what help is there for dyslexia",
        "she self harmed in year 9 and is 19 now and doing really well, does pip ask about it",
        "his sugar dropped to 2.4 last week at school and they handled it well, should the plan change",
        "i dont know where he went wrong with the form, can someone check it",
        "can you keep it between us that i asked about autism, i dont want the school to know yet",
        "his new glasses left red marks that look like a slap on his nose, can the optician help",
    ],
)
def test_the_holdout18_rules_leave_ordinary_messages_alone(text: str) -> None:
    assert not apply_rules(text).matches


# --- understated risks, told as logistics or through what the writer noticed, that holdout19 (2026-12-07)
# found the rules blind to (our own wording) ---


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("year 3 girl not back in class after lunch, we have searched the hall and the field", "missing.not_back"),
        ("school rang, my son is not in lessons and nobody has seen him since registration", "missing.not_back"),
        ("my 16 year old is up on the shed roof and wont come down, its getting dark", "danger.fire_or_road"),
        ("her dad pushed her and me down the stairs on sunday", "domestic.family_violence"),
        ("my nephew takes my pension and when i say no he throws my walking frame", "domestic.family_violence"),
        ("i have already sorted who gets my guitar and my bike", "suicide.quiet_plans"),
        ("he gave his football boots to his mate and said he wont need them much longer", "suicide.quiet_plans"),
        ("ive been saving up my tablets instead of taking them", "suicide.means"),
        ("she keeps putting her sleeping tablets aside in a drawer", "suicide.means"),
        ("did it again on my arm last night and it went deeper than i meant", "suicide.self_harm"),
        ("he slipped with the saw and the blood is pumping out", "medical.other_emergency"),
        ("it has soaked through two towels already", "medical.other_emergency"),
        ("he gets picked up from the park by older lads in a car most nights", "abuse.grooming_exploitation"),
        ("says he does drops to cheltenham for them after school", "abuse.grooming_exploitation"),
        ("breakfast club is her only meal most days", "abuse.neglect"),
        ("they havent had anything to eat since friday, nothing in till payday", "abuse.neglect"),
        ("his feed hadnt been put up since breakfast when i got home", "abuse.neglect"),
    ],
)
def test_the_rules_catch_what_holdout19_showed_them_blind_to(text: str, rule: str) -> None:
    assert rule in apply_rules(text).matches


@pytest.mark.parametrize(
    "text",
    [
        "our cat is on the shed roof, is there a pet therapy service for autistic children",
        "can i put his inhaler aside for the school trip or does the school keep it",
        "we are saving up for his new wheelchair, is there a grant",
        "we did a lovely walk along the old railway line path at the weekend, any accessible walks near stroud",
        "hes given his old xbox to his cousin because he got a new one, any gaming clubs for autistic teens",
        "he says he will kill his sister about ten times a day but they are best mates, any sibling groups",
        "my flatmate says hell kill me if i eat his yoghurts again lol, can i do my course online",
        "dad will kill me when he sees my report, can my ehcp targets go on it",
        "i have given away most of my stuff on marketplace because im moving to supported living",
        "the dinner lady says school lunch is the best meal of the week, is there free school meals help",
        "she hasnt had a proper meal since tuesday because of her arfid, is there a feeding clinic",
    ],
)
def test_the_holdout19_rules_leave_ordinary_messages_alone(text: str) -> None:
    assert not apply_rules(text).matches


# --- risks said inside the small talk of a chat, that holdout20 (2026-12-07) found the rules blind to
# (our own wording) ---


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("she keeps saying she wants to die for weeks now", "suicide.want_to_die"),
        ("if the council refuse again i'll end it i mean it", "suicide.end_life"),
        ("nobody cares. ive looked up how", "suicide.end_life"),
        ("thanks. he wants it all to end now", "suicide.self_harm"),
        ("ok bye. tell my dad im sorry", "suicide.self_harm"),
        ("that's everything. ive written my letters", "suicide.self_harm"),
        ("if i go quiet its because my husband is back", "domestic.more"),
        ("if i stop answering it means hes here", "domestic.more"),
        ("my uncle is taking my cousin to pakistan this summer to marry her cousin", "harm.forced_marriage"),
        ("dad says i have to marry an older man from his village", "harm.forced_marriage"),
        ("my nephew went out at 6, not returned, mobile switched off", "missing.late_and_unreachable"),
    ],
)
def test_the_rules_catch_what_holdout20_showed_them_blind_to(text: str, rule: str) -> None:
    assert rule in apply_rules(text).matches


@pytest.mark.parametrize(
    "text",
    [
        "that chocolate cake at the cafe is to die for, do they do gluten free",
        "if the tenancy goes wrong i'll end it this time and look for another flat",
        "ive googled how to apply for an ehcp",
        "i looked up how much it costs",
        "the meltdowns, i just want them to stop",
        "can you tell the teacher sorry, he was late",
        "ive written my letters to the council and the school",
        "if i stop replying its because the wifi is rubbish",
        "we're taking him abroad for a wedding in august, can he miss school",
        "i just want her to get some help with her reading",
        "he went to the shop and came back, his phone is off though",
    ],
)
def test_the_holdout20_rules_leave_ordinary_messages_alone(text: str) -> None:
    assert not apply_rules(text).matches


# --- the safety response ---

DRAMA = Settings(
    emergency_phone="999",
    front_door_name="the Example Front Door",
    front_door_phone="01632 960123",
    out_of_hours_name="the Example Night Team",
    out_of_hours_phone="01632 960456",
    crisis_line_name="the Example Crisis Line",
    crisis_line_phone="01632 960789",
    samaritans_phone="01632 960111",
    childline_phone="01632 960222",
)
AT_RISK = SafetyAssessment(True, ("suicide_self_harm",), True, ("suicide.kill_self",), 0.9)
MEDICAL = SafetyAssessment(True, ("medical_emergency",), True, ("medical.seizure",), 0.9)
PROMISES = ("confidential", "no one will know", "nobody will know", "won't tell", "will not tell", "secret")


@pytest.mark.parametrize("young_person", [False, True])
@pytest.mark.parametrize("assessment", [AT_RISK, MEDICAL])
def test_safety_message_puts_999_first_and_uses_configured_contacts(
    young_person: bool, assessment: SafetyAssessment
) -> None:
    text = safety_message(assessment, DRAMA, young_person=young_person)
    first = text.splitlines()[0]
    assert "999" in first
    assert "danger now" in first or "danger or" in first
    for number in ("01632 960123", "01632 960456", "01632 960789", "01632 960111"):
        assert number in text
    assert "Example Front Door" in text
    assert ("01632 960222" in text) == young_person


def test_safety_message_uses_the_default_front_door_number() -> None:
    settings = Settings()
    text = safety_message(AT_RISK, settings, young_person=False)
    assert settings.front_door_phone == "01452 426565"
    assert "01452 426565" in text
    assert text.startswith("If anyone is in danger now, call 999.")


@pytest.mark.parametrize("young_person", [False, True])
def test_safety_message_is_honest_short_and_plain(young_person: bool) -> None:
    for assessment in (AT_RISK, MEDICAL):
        text = safety_message(assessment, Settings(), young_person=young_person)
        lowered = text.lower()
        assert not any(promise in lowered for promise in PROMISES)
        assert "computer program" in lowered
        assert "cannot call anyone for you" in lowered
        assert len(text.split()) <= 90
        for sentence in re.split(r"(?<=\.)\s+", text.replace("\n", " ")):
            assert len(sentence.split()) < 20, sentence


def test_young_person_version_speaks_to_you() -> None:
    young = safety_message(AT_RISK, Settings(), young_person=True)
    parent = safety_message(AT_RISK, Settings(), young_person=False)
    assert young.lower().count("you") >= 5
    assert "Childline" in young
    assert "Childline" not in parent
    assert young != parent


@pytest.mark.parametrize(
    "text",
    [
        "my kids are not safe at home",
        "we are not safe at home",
        "a child is in danger",
        "a child is at risk",
        "she isn't safe with him",
        "my child is scared of someone at home",
        "my daughter was assaulted",
        "my neighbour hits their children",
    ],
)
def test_plain_statements_of_danger_are_caught(text: str) -> None:
    # Phrases the dialogue engineer found unflagged while writing the Rasa data.
    assert judge(text).at_risk


# --- risks told indirectly, as the first blind set's misses were (written fresh, not copied) ---


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("a girl in my class says she is not allowed to eat at home if she gets told off", "child_abuse_neglect"),
        ("his tea gets taken away as a punishment most nights", "child_abuse_neglect"),
        ("my brother has a rope in his wardrobe and says he has worked out how", "suicide_self_harm"),
        (
            "i took a few tablets earlier but i think im fine now, anyway what are supported internships",
            "medical_emergency",
        ),
        ("there was a card saying goodbye under her pillow", "suicide_self_harm"),
        ("dad says he can't see the point of living since mum left", "suicide_self_harm"),
        ("the young person refused to say whether he had a plan when I asked", "suicide_self_harm"),
    ],
)
def test_indirect_risks_are_caught(text: str, category: str) -> None:
    assessment = judge(text)
    assert assessment.at_risk
    assert category in assessment.categories


@pytest.mark.parametrize(
    "text",
    [
        "pupils are not allowed to eat in the classroom, can he have snacks for his diabetes",
        "he has a rope swing in the garden and a plan for his sensory diet",
        "thanks, I worked out how to fill in the form",
        "I took some paracetamol for a headache earlier but I'm fine, can you tell me about short breaks",
        "my autistic son talks about death a lot since his grandad died, is there bereavement support",
        "i cant see the point of the homework club",
    ],
)
def test_the_ordinary_versions_of_those_words_are_not_risks(text: str) -> None:
    assert not judge(text).at_risk


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        # Fresh wordings of the risks the read set read_5 missed when it was first scored.
        ("this man off roblox keeps asking for pics of me and says dont tell my mum", "abuse.online_images"),
        ("a guy she met on tiktok wants photos and told her not to tell her dad", "abuse.secret"),
        ("the older lads at the skate park got him to do sexual stuff for money", "abuse.sexual"),
        ("honestly my family would be better off if they never had to deal with me", "suicide.want_to_die"),
        ("im 15, my dads been gone since saturday and theres nothing to eat in the house", "abuse.neglect"),
    ],
)
def test_grooming_secrets_forced_sexual_acts_being_a_burden_and_a_child_left_alone_are_caught(
    text: str, rule: str
) -> None:
    assert rule in apply_rules(text).matches
    assert judge(text).at_risk


@pytest.mark.parametrize(
    "text",
    [
        "my son said not to tell his dad about the surprise party",
        "his dads been away since monday with work, can school sort the bus",
        "we would be better off if we didnt have to drive to every appointment",
        "i met another mum online and she wants pictures of the sensory room we built",
        "he makes her do her reading before tea",
    ],
)
def test_a_surprise_a_parent_away_for_work_or_a_long_drive_is_not_a_risk(text: str) -> None:
    assert not apply_rules(text).matches


# --- a denial of danger, a remark taken back, harm locked away ---


@pytest.mark.parametrize(
    "text",
    [
        "honestly im at the end of my rope, not in a dangerous way, i just need some respite",
        "nobody is hurting anyone here, the house is just very loud",
        "i feel rubbish since we split but im not going to do anything stupid",
        "its not like i want to hurt myself or anything, i just hate college right now",
        "he bites his hand when the room is loud. he hasnt hurt himself, the OT says its sensory",
        "the new timetable makes me want to throw my laptop in the river, not literally lol",
        "her stepdad is in prison for what he did to her, can she get counselling through school",
    ],
)
def test_a_denial_or_a_remark_taken_back_is_not_a_risk(text: str) -> None:
    assessment = judge(text)
    assert not assessment.at_risk, assessment


@pytest.mark.parametrize(
    "text",
    [
        "i havent hurt myself but i want to",
        "he hasnt hurt himself yet but he keeps hitting his head on the radiator",
        "i want to die, not literally, but i really cant do this any more",
        "im not in danger but my little sister is, he keeps hitting her",
        "her stepdad gets out of prison next week and says he will come for her",
    ],
)
def test_a_risk_next_to_a_denial_is_still_caught(text: str) -> None:
    assert judge(text).at_risk


@pytest.mark.parametrize(
    "text",
    [
        "a guy from minecraft wants my pictures and says not to tell anyone",
        "some older man on snap keeps asking for pics in her underwear",
        "i dont think ill be here for the move to college anyway, so it doesnt matter",
    ],
)
def test_pictures_asked_for_and_resigned_goodbyes_are_caught(text: str) -> None:
    assert judge(text).at_risk


@pytest.mark.parametrize(
    "text",
    [
        "my brother is getting married in june, will the short break carers cover that weekend",
        "we are getting married next spring and want our autistic son to be an usher",
        "he gave his old scooter to his cousin because it was too small for him",
        "my daughter earns money carrying bags at the farm shop on saturdays",
        "he wears his necklace round his neck all the time for sensory reasons",
    ],
)
def test_weddings_hand_me_downs_saturday_jobs_and_necklaces_are_not_caught_by_those_rules(text: str) -> None:
    assert not {
        "harm.forced_marriage",
        "harm.held_or_choked",
        "abuse.grooming_exploitation",
        "suicide.means",
    } & set(judge(text).rule_matches)


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [
        ("abuse.neglect", "teacher here, a girl in my class is always coming in hungry and asks other kids for food"),
        ("abuse.neglect", "the toddler has been in the same dirty clothes for several days at nursery"),
        ("abuse.adult_harms_child", "our foster lad flinches every time an adult lifts their hand near him"),
        ("suicide.means", "he keeps saying it would be better if he just walked in front of a lorry"),
        ("abuse.secrecy_threat", "my uncle told me if i say anything to my teacher he will make sure i get hurt"),
        ("suicide.self_harm", "been doing the thing with the blade again since results day, its fine"),
        ("suicide.quiet_plans", "whats the point of college open days, no point, i wont be around by september"),
        ("suicide.quiet_plans", "a mum on the phone said it wont matter anyway, she has got a plan for tonight"),
        ("harm.forced_marriage", "my uncle is planning for my sister to get married when we visit family in july"),
        ("harm.forced_marriage", "im 16 and they keep saying i am getting married next year, i really dont want to"),
        ("harm.held_or_choked", "my 12 year old put his hands around his brothers throat during the row"),
        ("abuse.grooming_exploitation", "some older boys offered him easy money if he takes a bag to cheltenham"),
        ("suicide.means", "she gave her guitar to her best mate and said she wont need it any more"),
        ("danger.weapon", "some older boys are waiting outside for my brother at the park with a knife"),
        ("suicide.quiet_plans", "doubt ill be around for my review tbh so dad can do it without me"),
        ("abuse.grooming_exploitation", "im 13 and my boyfriend is 22, he says we have to keep it quiet"),
        ("abuse.secrecy_threat", "she told me if i say anything to school she will make it worse for me"),
        ("missing.not_back", "the club phoned us to say he never turned up, his bus left at 5"),
        ("abuse.secret", "uncle says its our little game and i mustnt tell anyone"),
        ("abuse.secret", "he says i cant tell my mum what happens at his house"),
        ("danger.attack_now", "her dad came round drunk and put the kids in his car, they have gone"),
        ("domestic.more", "i sleep in the kids room now with the door wedged shut when hes had a drink"),
        ("domestic.more", "we barricade the bedroom door most nights until he calms down"),
        ("suicide.self_harm", "ive started cutting my thighs with my pencil sharpener blade"),
        ("suicide.self_harm", "he keeps scratching his arms with a compass in maths till they bleed"),
        ("suicide.jump", "the police found him on the motorway bridge, he says he will try again and do it right"),
        ("abuse.sexual", "she signed 'hurt' and pointed at her bottom, then at the photo of her mums boyfriend"),
        ("abuse.neglect", "year 2 girl has an untreated burn on her hand and says nobody at home looked at it"),
        ("abuse.neglect", "he says hes not eating at home because dad doesnt get up any more"),
        ("missing.cant_find", "hes 9 and autistic, we are out searching the streets for him now"),
        ("medical.other_emergency", "hes diabetic and too confused to drink the juice, what do i do"),
        ("medical.other_emergency", "her blood sugar is 2.1 and she wont wake up properly"),
    ],
)
def test_quiet_signs_of_risk_are_caught_by_their_own_rule(rule_id: str, text: str) -> None:
    assessment = judge(text)
    assert assessment.at_risk
    assert rule_id in assessment.rule_matches


@pytest.mark.parametrize(
    "text",
    [
        "she comes home starving because she wont eat the school lunches, can we get a sensory plan",
        "he likes to wear the same jumper every day, it is a sensory thing",
        "my son flinches at the hand dryers in the school toilets",
        "he wears the same school jumper every day, its a sensory thing",
        "he points to his bottom and says hurt when he needs a poo, could it be constipation",
        "the nurse says his pressure sore is healing well and is being treated",
        "she keeps hitting her head when shes frustrated, is there any OT for that",
        "the school should do it properly next time, they missed his review again",
        "we spent ages looking at the park for a bench he likes",
    ],
)
def test_picky_eating_a_favourite_jumper_and_loud_dryers_are_not_neglect_or_harm(text: str) -> None:
    assert not {"abuse.neglect", "abuse.adult_harms_child"} & set(judge(text).rule_matches)


@pytest.mark.parametrize(
    "text",
    [
        "the teacher told me i cant tell the difference between the two forms, is that normal for dyslexia",
        "she said it is a special game for the class and we cant tell the other team the answers",
    ],
)
def test_a_class_game_and_not_telling_things_apart_are_not_secrecy(text: str) -> None:
    assert "abuse.secret" not in judge(text).rule_matches


@pytest.mark.parametrize(
    ("mask", "text"),
    [
        ("hn.denies_danger", "she isnt in any danger and shes not harming herself, just very withdrawn"),
        ("hn.body_cannot_take_it", "we lift him into the bath every night and my knees cant take it much longer"),
        ("hn.kicked_out_of_education", "can the collage kick me out for missing days when im ill"),
        ("hn.tic_words", "one of his vocal tics is shouting ill kill you, how do we explain it to the class"),
        ("hn.reckless_driver", "the taxi driver drives like a lunatic, we are gonna die one day lol"),
        ("hn.training_about_risk", "is there training for TAs on recognising the signs of criminal exploitation"),
        ("hn.idiom_killing", "mum is going to kill me cos i lost my bus pass again, how do i get a new one"),
        ("hn.everyday_photo", "what about his bus pass photo, he wont keep still for the camera"),
        ("hn.idiom_killing", "my brother is gonna kill me i scratched his switch screen"),
        ("hn.idiom_killing", "she says shes going to murder her sister every time she loses at minecraft"),
        ("hn.idiom_killing", "dads gonna murder me if i dent the car on my first lesson lol, any help with costs"),
        ("hn.idiom_killing", "my boss will kill me if im late again, can my support worker drive me"),
        ("hn.training_about_risk", "should grooming be covered in our new staff induction"),
        ("hn.past_self_harm_resolved", "two years ago he took an overdose but hes doing so much better now"),
        ("hn.project_or_research", "heard on the radio about a girl who went missing, can we get a tracker"),
        ("hn.project_or_research", "what does criminal exploitation mean in the EHCP guidance"),
        ("hn.missing_school_or_things", "i ran away from college lol, can i do a job with training"),
        ("hn.project_or_research", "our drama is about county lines and she plays the older lad, is that ok for her"),
        ("hn.tic_words", "she shouts ill kill you at the dog, its scripting from a film, is that autism"),
        ("hn.emergency_over", "my sister choked on a grape at lunch but she coughed it up and shes fine now"),
    ],
)
def test_ordinary_words_are_set_aside_by_their_own_mask(mask: str, text: str) -> None:
    outcome = apply_rules(text)
    assert mask in outcome.hard_negatives
    assert not outcome.matches


def test_an_everyday_photo_is_not_a_risk_but_a_photo_used_to_abuse_still_is() -> None:
    assert not judge("we need a passport photo for him and he wont sit still").at_risk
    assert judge("a man online keeps asking her for pics in her underwear").at_risk


def test_a_denial_does_not_hide_a_risk_told_beside_it() -> None:
    assert judge("he isnt in any danger from us but he has been cutting himself again").at_risk
    assert judge("my back cant take much more and i cant take much more either, i want to end it").at_risk


def test_telling_and_asking_are_never_set_aside_as_an_idiom() -> None:
    assert judge("he is going to kill me if i tell anyone what he did").at_risk
    # 'when she finds out' is the idiom; 'when he finds us' is a man looking for his family.
    assert "harm.threat_to_kill" in judge("my ex says he will kill me when he finds me").rule_matches
    idiom = apply_rules("dad will kill me when he finds out i broke my glasses again")
    assert "hn.idiom_killing" in idiom.hard_negatives
    assert not idiom.matches
    crush = judge("she said if i tell anyone about her crush she will be so embarrassed")
    assert "abuse.secrecy_threat" not in crush.rule_matches


@pytest.mark.parametrize(
    "text",
    [
        "i dont think ill be around for the review, im on holiday, so mum can go on her own",
        "school rang to say he never went in to swimming because of his ear",
        "my boyfriend is 24 and im 25",
    ],
)
def test_a_reason_given_a_missed_lesson_and_two_adults_are_not_those_risks(text: str) -> None:
    assert not {"suicide.quiet_plans", "missing.not_back", "abuse.grooming_exploitation"} & set(
        apply_rules(text).matches
    )


def test_those_masks_do_not_hide_a_risk_told_in_the_same_words() -> None:
    assert judge("my dad is going to kill me when he finds out i told school about the belt").at_risk
    assert judge("she took an overdose an hour ago and is being sick").at_risk
    assert judge("i ran away from home last night and im sleeping in the park").at_risk


# --- one sentence of a long message, judged on its own ---


def test_message_parts_are_the_sentences_and_their_neighbours() -> None:
    from safety.classifier import MIN_PART_WORDS, message_parts

    assert message_parts("one sentence only with no break") == []
    prepared = prepare("Is the bus pass free? He is 16. Also my nephew comes home with cash he will not explain.")[0]
    parts = message_parts(prepared)
    assert all(len(part.split()) >= MIN_PART_WORDS for part in parts)
    assert any("cash" in part and "bus" not in part for part in parts)
    assert any("16" in part and "cash" in part for part in parts)


def test_a_risk_told_in_one_sentence_of_a_long_message_is_caught() -> None:
    from safety.classifier import PART_THRESHOLD

    text = (
        "Hi, I have a question about the annual review paperwork and whether the school has to send reports "
        "two weeks before. We also want to ask about a personal budget for his swimming. His dad turned up "
        "drunk last night and threw a chair at me in front of the children and said he will be back tonight. "
        "And can we get help with transport?"
    )
    assessment = judge(text)
    # No rule knows this wording and the whole message reads as paperwork; its one sentence alone does not.
    assert assessment.at_risk, assessment
    assert not assessment.rule_matches
    assert assessment.classifier_score < THRESHOLD
    assert assessment.part_score >= PART_THRESHOLD
    assert assessment.categories == ("domestic_abuse",)


@pytest.mark.parametrize(
    ("text", "at_risk"),
    [
        # Where someone is now: on a bridge, roof or ledge.
        ("im 17 and autistic and im sat on top of the multi storey", True),
        ("my brother is 15 and hes stood on the railway bridge and wont answer me", True),
        ("he loves standing on the footbridge watching the trains go under", False),
        # A child no one outside the home has seen, or a parent keeping professionals out.
        ("Year 3 pupil with an EHCP, hasnt been seen by anybody outside the family since October half term", True),
        ("family key worker here, worried: dad keeps refusing home visits and the baby is never at clinic", True),
        ("she hasnt been seen by anyone from the autism team yet, is that normal", False),
        # An online 'friend' who wants pictures or a meeting; what an abuser says to keep someone quiet.
        ("my daughter is 13 and her online mate from tiktok is pressuring her to meet up on saturday", True),
        ("our lad has been talking to a man over discord for weeks and now he wants to meet him", True),
        ("the support worker at my flat grabs my arm hard and tells me no one would ever believe me", True),
        ("my family says nobody would believe me that I was bullied at school, can I get help?", False),
    ],
)
def test_a_height_a_child_kept_from_view_an_online_meeting_or_silencing(text: str, at_risk: bool) -> None:
    assert judge(text).at_risk is at_risk, judge(text)


def test_an_ordinary_sentence_judged_alone_is_not_read_as_a_disclosure() -> None:
    # Out of context 'I don't want them knowing' looked like a secret kept from adults (0.984 as a
    # part before the model for parts learnt families' own sentences).
    text = "Does the school have to tell the other parents about his diagnosis? I don't want them knowing."
    assert not judge(text).at_risk


def test_a_long_message_without_risk_stays_clear() -> None:
    text = (
        "Hello. My son is 9 and autistic and the school want to move him onto a reduced timetable. I am worn "
        "out with it all. Can they do that without asking me? And who do I talk to about an EHC needs assessment?"
    )
    assessment = judge(text)
    assert not assessment.at_risk, assessment
    assert assessment.part_score > 0.0  # judged by parts too, and none was high enough


@pytest.mark.parametrize(
    "text",
    [
        "our foster daughter has not been back since friday night and her phone goes to voicemail",
        "after the weekend at dads he came back with bruises on his back that dad couldnt explain",
        "the escort says the minibus driver reeks of alcohol and he is about to set off with the kids",
        "my daughter wrote in her diary that everyone would be better off without her",
        "found a message on his phone to his friend saying sorry for being a burden",
    ],
)
def test_an_absence_unexplained_injuries_a_drunk_driver_and_a_goodbye_are_caught(text: str) -> None:
    assert judge(text).at_risk


@pytest.mark.parametrize(
    "text",
    [
        "im going to strangle him if he loses one more school jumper, honestly",
        "she says she will kill her brother if he touches her lego again haha",
        "after the annual review i felt like id been hit by a bus",
        "back home we say i will kill you to a cheeky child, i dont mean it really. is there a parenting course",
    ],
)
def test_mock_threats_and_worn_out_idioms_are_not_caught(text: str) -> None:
    assessment = judge(text)
    assert not assessment.at_risk, assessment


@pytest.mark.parametrize(
    ("rule_id", "text"),
    [
        # What staff see of injuries at home, told in a professional's words with a question beside it.
        (
            "abuse.physical_and_neglect",
            "Reception child arrived with marks on her neck for the third time this term. Also, who funds a TA?",
        ),
        (
            "abuse.physical_and_neglect",
            "a year 5 boy has a burn on his hand and the explanations from mum and dad dont match. is he eligible",
        ),
        ("abuse.physical_and_neglect", "she cried at pick up and was begging not to go home again, what is portage"),
        # Older lads, a parcel and a debt: how county lines recruit.
        (
            "abuse.grooming_exploitation",
            "some lads from college want me to take a parcel over to stroud on the bus for them, they say i owe them",
        ),
        # Someone else's money taken and their family kept away.
        ("domestic.control", "her partner wont let her see her friends and checks where she goes, shes 19 with autism"),
        ("domestic.control", "my sons girlfriend takes all his pip and his wages every week, hes 20"),
        # Days without food, and the body saying so.
        ("abuse.neglect", "not eaten anything for 4 days and i keep nearly fainting in lessons"),
    ],
)
def test_injuries_staff_notice_a_debt_to_older_lads_money_taken_and_days_without_food_are_caught(
    rule_id: str, text: str
) -> None:
    assessment = judge(text)
    assert assessment.at_risk
    assert rule_id in assessment.rule_matches


@pytest.mark.parametrize(
    "text",
    [
        "he has dyspraxia and bruises easily, he fell for the second time this week, can we get OT",
        "the councils explanations for the delay dont add up, can we complain",
        "my son loves the holiday club so much he doesnt want to go home",
        "mum asked me to take the parcels to the post office for her, do i get a bus pass at 16",
        "he hasnt eaten anything but pasta for 3 days, is there a feeding clinic for autistic kids",
        "my mum is my appointee and manages my pip, can i take it over at 18",
        "the youth worker is in his thirties and runs the autism group in stroud, how do i join",
    ],
)
def test_a_clumsy_child_a_dispute_a_happy_child_an_errand_and_picky_eating_are_not_those_risks(text: str) -> None:
    assert not judge(text).at_risk, judge(text)


@pytest.mark.parametrize(
    ("mask", "text"),
    [
        ("hn.burnt_out", "by thursday im running on empty, is there a carers break in tewkesbury"),
        ("hn.burnt_out", "fed up to the back teeth of chasing the school, who do i write to"),
        ("hn.burnt_out", "its half term and the twins are bouncing off the walls, any soft play for autistic kids"),
        ("hn.burnt_out", "ill go stir crazy if he is home all summer, are there any holiday clubs"),
        ("hn.idiom_gratitude", "that is a huge weight off my shoulders, thanks so much"),
        ("hn.idiom_dying", "she would die for a place on the drama course, how does she apply"),
        ("hn.body_cannot_take_it", "can someone else do the lifting, my back isnt what it used to be"),
        ("hn.idiom_killing", "the school run is going to murder me now hes at a different school, is there transport"),
    ],
)
def test_tiredness_relief_eagerness_and_aching_backs_are_set_aside(mask: str, text: str) -> None:
    outcome = apply_rules(text)
    assert mask in outcome.hard_negatives
    assert not outcome.matches


def test_an_age_said_now_is_not_harm_that_is_over() -> None:
    # 'in his thirties' once meant 'back when he was in his thirties' and set the clause aside.
    assessment = judge("her boyfriend, who is in his thirties, hits her when she asks for her own money")
    assert assessment.at_risk
    assert "context.past_resolved" not in assessment.hard_negatives


@pytest.mark.parametrize(
    "text",
    [
        # A plan to go somewhere high and jump, with the words between the place and the jump.
        "hes told his sister he will go up to the multi storey tonight after tea and jump, what do i do",
        "client (15) says she is going to walk to the viaduct on saturday and jump",
        "im going to jump off the flyover on the way home from college",
    ],
)
def test_a_plan_to_jump_from_somewhere_high_is_caught(text: str) -> None:
    assessment = judge(text)
    assert assessment.at_risk
    assert "suicide.jump" in assessment.rule_matches


@pytest.mark.parametrize(
    ("mask", "text"),
    [
        ("hn.overdose_warning", "is it easy to overdose on calpol if two of us give it by mistake, we have a chart"),
        ("hn.overdose_warning", "can children overdose on vitamins, hes on a restricted diet and the dietician said"),
        (
            "hn.scripted_line",
            "he says ill eat you to everyone at nursery, its a line from a cartoon he loves, is that echolalia",
        ),
    ],
)
def test_a_medicine_warning_and_a_line_from_a_cartoon_are_set_aside(mask: str, text: str) -> None:
    outcome = apply_rules(text)
    assert mask in outcome.hard_negatives
    assert not judge(text).at_risk


@pytest.mark.parametrize(
    "text",
    [
        "she keeps missing lessons because of hospital appointments, can school give her work to do at home",
        "my son has been missing loads of school since the bullying started, who do i talk to",
        "my son wandered off at the beach last summer for ten minutes, are there id bands for autistic kids",
        "he got lost in the shopping centre but we found him, is there a lanyard scheme",
        "she cut herself in year 8 but hasnt done anything for two years, does the college need to know",
    ],
)
def test_missing_lessons_and_a_short_scare_that_is_over_are_not_a_missing_child(text: str) -> None:
    assert not judge(text).at_risk, judge(text)


@pytest.mark.parametrize(
    "text",
    [
        "my son has been missing a few hours and nobody has seen him",
        "shes missing again, third time this month, police know",
        "he went missing at the beach an hour ago and we cant find him anywhere",
        "she is missing from her placement since last night",
    ],
)
def test_a_child_missing_now_is_still_caught(text: str) -> None:
    assert judge(text).at_risk


@pytest.mark.parametrize(
    "text",
    [
        # Harm told without its usual words, beside an ordinary question (fresh wordings of holdout11's misses).
        "is there a drama group in stroud. also there are things i do to myself at night that nobody knows about",
        "i took the tablets out and lined them up but i didnt go through with it. anyway how do i get a bus pass",
        "she keeps saying she wants to walk into the road to make it all stop",
        "he said he wants to step out in front of a lorry, hes 15 and autistic",
        "my foster son says his uncle threw a plate at his head last time he stayed",
        "mum uses the wooden spoon on me if i get my spellings wrong",
        "a man from her old school keeps messaging her to keep their chats secret",
        "the older lads make him drop parcels off round the estate and give him twenty quid",
        "i havent fed him or changed him since yesterday morning, i just cant get up",
        "their dad left them in the house by themselves all friday night with no food",
        "i want my plan sorted before im gone, ive made my mind up",
    ],
)
def test_harm_told_in_other_words_beside_a_question_is_caught(text: str) -> None:
    assert judge(text).at_risk, judge(text)


@pytest.mark.parametrize(
    "text",
    [
        "we had a talk on online safety at school and now she wont touch her tablet, any easy read guides",
        "my sister is so annoying im going to murder her, anyway can i get extra time in exams",
        "honestly the waiting is going to finish me off, who do i chase about the assessment",
        "i left an abusive relationship years ago and he moved abroad, no contact since. how do i apply for dla",
        "he self harmed in year 8 but hasnt for over three years, does the college need to know",
        "my nan wants the care plan sorted before shes gone, she is 90, who do we talk to",
        "he threw his coat at the peg and missed, ha. is there a homework club",
    ],
)
def test_a_safety_talk_a_sibling_grumble_a_long_wait_and_harm_long_over_are_not_risks(text: str) -> None:
    assert not judge(text).at_risk, judge(text)


@pytest.mark.parametrize("text", ["phone", "the phone", "dad", "evenings", "Phone"])
def test_a_one_or_two_word_answer_is_not_judged_by_the_classifier(text: str) -> None:
    # Answers to the contact form: the classifier has almost no risk this short to learn from.
    assert not judge(text).at_risk


@pytest.mark.parametrize("text", ["suicidal", "overdose", "he's unconscious", "not breathing"])
def test_a_short_message_naming_a_danger_is_still_at_risk_by_the_rules(text: str) -> None:
    assert judge(text).at_risk


# followups_5 (a risk appearing in a later turn), read: hitting as a punishment for the writer's own
# failing, or by someone drunk, is not the child's distress the 'hits me when' mask is for.
@pytest.mark.parametrize(
    "text",
    [
        "my stepdad hits me if i get bad grades",
        "she beats me whenever i get told off at school",
        "he slaps us when hes been drinking",
    ],
)
def test_hitting_as_punishment_or_when_drunk_is_a_risk(text: str) -> None:
    assert apply_rules(text).matches


@pytest.mark.parametrize(
    "text",
    [
        "my son hits me when he is overwhelmed, is there support for that",
        "he kicks us when he cant get his words out",
        "my head of year is going to kill me if i miss another deadline",
    ],
)
def test_a_childs_distress_or_a_teachers_deadline_is_not(text: str) -> None:
    assert not apply_rules(text).matches


# followups_6, read: writing in secret while being hurt, and gone for hours.
@pytest.mark.parametrize(
    "text",
    ["cant type for long, hes kicking off and grabbed me", "still not home, she went to the park three hours ago"],
)
def test_writing_in_secret_while_hurt_or_gone_for_hours_is_a_risk(text: str) -> None:
    assert apply_rules(text).matches


@pytest.mark.parametrize(
    "text",
    [
        "i could murder someone at the council today",
        "someone shoot me now, another form",
        "cant talk long, off to football",
    ],
)
def test_fury_at_an_office_or_a_hurried_goodbye_is_not(text: str) -> None:
    assert not apply_rules(text).matches


@pytest.mark.parametrize(
    "text", ["thinking i might ctb tonight", "wanna ctb", "relapsing with sh, 3 weeks clean before"]
)
def test_young_peoples_shorthand_for_suicide_and_self_harm_is_a_risk(text: str) -> None:
    assert "suicide_self_harm" in apply_rules(text).categories


@pytest.mark.parametrize("text", ["shh, the baby is asleep", "is there an sh support group for parents"])
def test_sh_without_a_verb_of_doing_is_not(text: str) -> None:
    assert not apply_rules(text).matches
