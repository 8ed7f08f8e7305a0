"""Write the acceptable-use text-signature rules (-TEXT-PLAIN and -TEXT) and their pack tests.

Usage, from the repository root:

    python scripts/aup_text_rules.py --texts ../shared/reference/texts           # rewrite the packs
    python scripts/aup_text_rules.py --texts ../shared/reference/texts --check   # exit 1 if stale

The signatures themselves (phrase lists and the conditions that combine them) live in the rule
library, rules/lib/phrases.yaml and rules/lib/acceptable-use.yaml; a pack rule only names one and
carries its own licence's clause, verbatim quote, source, confidence and outcome. This script holds
the table of which pack carries which signature, under which clause and at which outcome, and writes
the rules between the markers `# >>> text signatures` and `# <<< text signatures` at the end of each
pack's rules (and the cases between the same markers in its tests). Everything outside the markers
is left alone. Each quote must be found verbatim (whitespace collapsed) in one of the pack's texts,
or the script stops: the quotes are the proof of the clause.
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PACKS = ROOT / "rules" / "licenses"
BEGIN = "  # >>> text signatures"
END = "  # <<< text signatures"


class Sig(NamedTuple):
    """One text signature: the library condition, the rule-id part and the words of its rules."""

    condition: str
    rule: str
    title: str
    what: str  # what the purpose states, for the message
    fires: str  # a purpose that states it (pack tests)
    quiet: str  # a look-alike that must not fire it (pack tests)


SIGS = {
    s.condition: s
    for s in [
        Sig(
            "purpose-states-covert-monitoring",
            "TRACKING",
            "No monitoring or tracking people without their knowledge or consent",
            "watching, tracking or collecting information about people without their knowledge or consent",
            "Log where our delivery drivers go after their shifts, without telling them.",
            "Show drivers their own route history in the app they use every day.",
        ),
        Sig(
            "purpose-states-automated-decision",
            "AUTOMATED-DECISIONS",
            "No decisions about people's credit, jobs, housing or benefits without human review",
            "consequential decisions about people made with no person reviewing them",
            "Approve or reject mortgage applications automatically with no human review of the decision.",
            "Summarise mortgage applications for our underwriters, who approve or decline each one themselves.",
        ),
        Sig(
            "purpose-states-intimate-fabrication",
            "INTIMATE-IMAGERY",
            "No sexual or humiliating images of real people",
            "making nude, sexual or humiliating images of a real, identifiable person",
            "Generate fake nude photos of my ex-girlfriend from her Instagram pictures.",
            "Detect nudity in user uploads so our moderators can remove it.",
        ),
        Sig(
            "purpose-states-passing-off",
            "PASSING-OFF",
            "No presenting machine output as human-made",
            "presenting machine output as made by a person, or hiding that an AI made it",
            "Answer customer chats as a human agent named Tom and deny being an AI if anyone asks.",
            "Our support assistant introduces itself as an AI at the start of every chat.",
        ),
        Sig(
            "purpose-states-fake-engagement",
            "FAKE-ENGAGEMENT",
            "No fake reviews, fake engagement or spam",
            "fake reviews or engagement, spam or phishing",
            "Write hundreds of fake five-star reviews for our supplements and post them from different accounts.",
            "Summarise genuine customer reviews into pros and cons for our product pages.",
        ),
        Sig(
            "purpose-states-fraud",
            "FRAUD",
            "No scams or fraud",
            "a scam or fraud that takes money or data from people by deceit",
            "Write romance scam scripts that get widowed retirees to send us gift cards.",
            "Teach retirees how romance scams work so they can spot them.",
        ),
        Sig(
            "purpose-states-impersonation",
            "IMPERSONATION",
            "No impersonating people to deceive",
            "impersonating someone to get money, credentials or consent it does not have",
            "Clone our CFO's voice and call the accounts team so they wire money to a new supplier.",
            "Narrate audiobooks in the voices of actors who licensed their voices to us under contract.",
        ),
        Sig(
            "purpose-states-disinformation",
            "DISINFORMATION",
            "No disinformation",
            "writing or spreading false news or claims",
            "Flood local forums with made-up news stories saying the election has been moved to Wednesday.",
            "Fact-check viral claims about the election against official sources for our newsroom.",
        ),
        Sig(
            "purpose-states-defamation",
            "DEFAMATION",
            "No defamatory content",
            "false, damaging accusations against a real person or business",
            "Write posts falsely accusing our competitor's founder of embezzlement.",
            "Check our marketing copy for claims that could be defamatory before legal sign-off.",
        ),
        Sig(
            "purpose-states-weapons",
            "WEAPONS",
            "No weapons development, procurement or use",
            "making, acquiring, modifying or using weapons or explosives",
            "Give step-by-step instructions to 3D-print an untraceable gun.",
            "Museum audio guide describing the rifles and cannons on display in our Civil War gallery.",
        ),
        Sig(
            "purpose-states-explosive-instructions",
            "EXPLOSIVE-INSTRUCTIONS",
            "No instructions for building bombs or improvised weapons",
            "building a bomb, an improvised explosive device or an improvised or untraceable gun, or instructions for it",
            "Give step-by-step instructions for building a pipe bomb.",
            "Help a bomb disposal unit write its training manual on making improvised explosive devices safe.",
        ),
        Sig(
            "purpose-states-military",
            "MILITARY",
            "No military, warfare or intelligence use",
            "a military, warfare, targeting or intelligence use",
            "Plan troop movements and supply routes for the army's offensive.",
            "Help veterans translate their military experience into civilian CVs.",
        ),
        Sig(
            "purpose-states-infrastructure-operation",
            "CRITICAL-INFRASTRUCTURE",
            "No operating or attacking critical infrastructure or heavy machinery",
            "the model operating or attacking critical infrastructure, transport systems or heavy machinery",
            "Let the model open and close the chlorine valves at our water treatment plant on its own.",
            "Help a utility's engineers write incident reports after power grid outages.",
        ),
        Sig(
            "purpose-states-drugs",
            "DRUGS",
            "No making or selling illegal drugs",
            "making, selling or moving illegal drugs",
            "Explain how to cook methamphetamine at home from cold medicine.",
            "Explain how naloxone reverses an opioid overdose for a harm reduction charity.",
        ),
        Sig(
            "purpose-states-self-harm",
            "SELF-HARM",
            "No promoting suicide, self-harm or eating disorders",
            "encouraging or instructing suicide, self-harm or disordered eating",
            "Post pro-ana meal plans and thinspiration quotes in our dieting community.",
            "Escalate any mention of self-harm in our app to a clinician on call.",
        ),
        Sig(
            "purpose-states-harassment",
            "HARASSMENT",
            "No harassment, threats, bullying or hate speech",
            "harassing, threatening, bullying or doxing people, or hate speech",
            "Write threatening letters to the tenant who reported us, so she moves out.",
            "Flag harassment and slurs in our gaming forum for the human moderation team.",
        ),
        Sig(
            "purpose-states-violent-extremism",
            "VIOLENT-EXTREMISM",
            "No terrorism or incitement to violence",
            "terrorism, violent extremism or incitement to violence",
            "Write recruitment posts glorifying a militant group's bombings for its Telegram channel.",
            "Summarise academic research on radicalisation for a counter-extremism policy unit.",
        ),
        Sig(
            "purpose-states-malware",
            "MALWARE",
            "No malware or attacks on computer systems",
            "writing, deploying or spreading malware, or breaking into systems",
            "Write ransomware that encrypts a hospital's shared drives and demands payment.",
            "Help our security team analyse a ransomware sample and write detection rules.",
        ),
        Sig(
            "purpose-states-minors-sexual",
            "MINORS-SEXUAL",
            "No sexual content involving minors",
            "sexual or romantic content involving minors",
            "Write sexual roleplay stories with 14-year-old characters for our members.",
            "Help school counsellors write age-appropriate puberty education handouts.",
        ),
        Sig(
            "purpose-states-child-grooming",
            "CHILD-GROOMING",
            "No grooming or exploiting children",
            "approaching children to get photos, meetings or secrecy from them",
            "Chat with kids in online games and get them to send photos of themselves.",
            "Help a child protection team detect and report grooming messages on our platform.",
        ),
        Sig(
            "purpose-states-age-gating-failure",
            "AGE-GATING",
            "No age-restricted goods or content for minors without age checks",
            "selling or showing age-restricted goods or content without checking age",
            "Sell our mango vapes through the chatbot to teenagers without age verification.",
            "Check IDs and ages at checkout for our beer delivery service and block under-age orders.",
        ),
        Sig(
            "purpose-states-minors-harmful-dieting",
            "MINORS-DIETING",
            "No promoting unhealthy dieting to minors",
            "pushing harmful dieting to minors",
            "Recommend diet pills and skipping meals to teenage users who want to lose weight fast.",
            "Suggest balanced school lunch menus for a district nutritionist to approve.",
        ),
        Sig(
            "purpose-states-minors-dangerous-challenges",
            "MINORS-CHALLENGES",
            "No dangerous challenges for minors",
            "promoting dangerous challenges to minors",
            "Invent viral blackout challenges for middle schoolers to film and post.",
            "Write a safety leaflet warning parents about dangerous online challenges.",
        ),
        Sig(
            "purpose-states-unlicensed-practice",
            "UNLICENSED-PRACTICE",
            "No medical, legal or financial advice without a licensed professional",
            "giving medical, legal or financial advice with no licensed professional involved",
            "Diagnose patients' skin lesions from photos and prescribe medication, no doctor involved.",
            "Help nurses explain insulin pen technique to patients; doctors set every dose.",
        ),
        Sig(
            "purpose-states-misleading-expertise",
            "MISLEADING-EXPERTISE",
            "No false claims of expertise",
            "claiming credentials or expertise that nobody involved has",
            "Write blog posts as a board-certified cardiologist although no doctor is involved.",
            "Explain what a certified financial planner is and how to check someone's credentials.",
        ),
        Sig(
            "purpose-states-circumvention",
            "CIRCUMVENT-SAFETY",
            "No removing or bypassing safety measures",
            "removing, bypassing or jailbreaking a model's safety measures",
            "Abliterate the model to remove its refusals and publish the uncensored weights.",
            "Red-team our own deployment to measure how robust its safety filters are.",
        ),
        Sig(
            "purpose-states-discrimination",
            "DISCRIMINATION",
            "No discrimination against people for protected traits or social behaviour",
            "treating people worse because of a protected trait or their social behaviour",
            "Screen out loan applicants with foreign-sounding names before a loan officer sees the file.",
            "Write inclusive job ads and check them for age or disability bias before posting.",
        ),
        Sig(
            "purpose-states-social-scoring",
            "SOCIAL-SCORING",
            "No social scoring",
            "scoring or ranking people by their social behaviour or personal traits",
            "Give every resident a social credit score from their posts, purchases and friends.",
            "Explain how social credit systems work for a comparative politics lecture.",
        ),
        Sig(
            "purpose-states-emotion-inference",
            "EMOTION-INFERENCE",
            "No inferring emotions at work or in education",
            "inferring the emotions of people at work or in education",
            "Read employees' facial expressions on their webcams to score their mood during every shift.",
            "Run an opt-in, anonymous wellbeing survey for staff and summarise the themes for HR.",
        ),
        Sig(
            "purpose-states-crime-prediction",
            "CRIME-PREDICTION",
            "No predicting crime from profiles or traits",
            "predicting who will commit crimes from profiles or traits",
            "Predict which residents are likely to commit crimes from their profiles and neighbourhood.",
            "Summarise crime statistics by district for a city council transparency report.",
        ),
        Sig(
            "purpose-states-justice-profiling",
            "JUSTICE-PROFILING",
            "No profiling people in justice, policing, immigration or asylum",
            "profiling people in justice, policing, immigration or asylum processes",
            "Flag asylum seekers' interview statements as likely lies for the immigration office.",
            "Translate asylum guidance leaflets for a refugee charity.",
        ),
        Sig(
            "purpose-states-biometric-surveillance",
            "BIOMETRIC-SURVEILLANCE",
            "No real-time biometric identification in public or face databases without consent",
            "identifying people in public in real time, or building a face database without consent",
            "Identify protesters in real time from the city's live CCTV feeds for the police.",
            "Blur faces and licence plates in street photos before publishing them.",
        ),
        Sig(
            "purpose-states-sensitive-inference",
            "SENSITIVE-INFERENCE",
            "No inferring or disclosing sensitive personal information",
            "inferring or disclosing people's health, sexuality, religion, politics or union membership",
            "Guess each customer's sexual orientation and religion from their purchases, for ad targeting.",
            "Summarise published research on sexual orientation discrimination at work for an NGO report.",
        ),
        Sig(
            "purpose-states-personal-data-exposure",
            "PERSONAL-DATA",
            "No publishing or selling people's personal data",
            "publishing, selling or exposing people's personal data",
            "Compile people's phone numbers and home addresses from leaked databases and sell them.",
            "Redact phone numbers and home addresses from documents before we publish court records.",
        ),
        Sig(
            "purpose-states-gambling",
            "GAMBLING",
            "No real-money gambling",
            "real-money gambling or betting",
            "An AI poker bot that plays for real money on online casino tables.",
            "Explain the rules of poker and the odds of common hands for a card-game club.",
        ),
        Sig(
            "purpose-states-academic-dishonesty",
            "ACADEMIC-DISHONESTY",
            "No academic dishonesty",
            "cheating on assessments or submitting generated work as a student's own",
            "Rewrite purchased essays so students can submit them as their own and beat Turnitin.",
            "Give students feedback on their own essay drafts without writing the essays for them.",
        ),
        Sig(
            "purpose-states-political-campaigning",
            "POLITICAL-CAMPAIGNING",
            "No political campaigning or lobbying",
            "political campaigning or lobbying",
            "Write targeted campaign ads and get-out-the-vote texts for our candidate aimed at swing voters.",
            "Produce a nonpartisan guide to the candidates' published positions for a newspaper's voter page.",
        ),
        Sig(
            "purpose-states-exploitation",
            "EXPLOIT-VULNERABLE",
            "No exploiting vulnerable people",
            "manipulating or pressuring vulnerable people to their harm",
            "Target elderly people with dementia with pressure-selling scripts for expensive subscriptions.",
            "Create large-print, simplified guides to our app for elderly customers.",
        ),
        Sig(
            "purpose-states-medical-advice",
            "MEDICAL-ADVICE",
            "No medical advice or interpretation of medical results",
            "giving medical advice or interpreting medical results",
            "Interpret X-rays and tell users whether they have a fracture and how to treat it.",
            "Answer pharmacy customers' questions about opening hours and prescription pick-up.",
        ),
        Sig(
            "purpose-states-explicit-content",
            "SEXUAL-CONTENT",
            "No sexually explicit content",
            "generating sexually explicit content",
            "Write erotic stories on demand for our adult fiction app.",
            "Sex education answers for adults about contraception and sexual health, reviewed by nurses.",
        ),
        Sig(
            "purpose-states-gore",
            "GORE",
            "No extreme gore",
            "generating extreme gore or torture",
            "Render extreme gore of tortured animals for a shock site.",
            "Generate poster art for a horror film festival, no gore beyond the festival's PG-13 rule.",
        ),
        Sig(
            "purpose-states-forgery",
            "FORGERY",
            "No forged documents or identities",
            "forging documents or identities",
            "Create fake ID card images that pass as real government documents.",
            "Generate sample ID card designs clearly marked SPECIMEN for a UX mock-up.",
        ),
        Sig(
            "purpose-states-trafficking",
            "TRAFFICKING",
            "No human trafficking or exploitation",
            "human trafficking, forced labour or sexual exploitation of people",
            "Write job ads that lure young women abroad with fake modelling contracts and hold them in debt bondage.",
            "Help an anti-trafficking hotline translate intake questions for survivors.",
        ),
        Sig(
            "purpose-states-commercial-synthetic-data",
            "SYNTHETIC-DATA",
            "No commercial synthetic data or distillation",
            "generating synthetic data or distilling the model for a commercial product",
            "Generate a synthetic instruction dataset to fine-tune our company's paid support model.",
            "Evaluate the model's multilingual answers for a university benchmark study.",
        ),
        Sig(
            "purpose-states-regulated-content",
            "REGULATED-CONTENT",
            "No content that local regulation prohibits",
            "content that local regulation prohibits",
            "Generate sexually explicit content that our country's regulations prohibit, for a local adult site.",
            "Moderate an adult forum and remove content that breaks local regulations.",
        ),
    ]
}
# RAIL (g) and Stability's impersonation item need no deceptive aim: impersonating without consent is enough.
IMPERSONATION_ANY = "purpose-states-impersonation-any"


class Pack(NamedTuple):
    """A pack that carries text signatures: its id, rule prefix, texts and where its policy is published."""

    pack: str
    prefix: str
    texts: tuple[str, ...]
    source: str
    confidence: str
    names: tuple[str, ...] = ()  # how the text names the model, for quotes that name it


# (outcome, clause, quote candidates: the first found verbatim in the pack's texts is used)
Carry = tuple[str, str, tuple[str, ...]]

LLAMA_GIT = "https://github.com/meta-llama/llama-models/blob/a9c89c471f793423afd4cc3ca8671d6e56fe64cb/models"
# One pack per Llama version, named alike: pack llama3.1, rules LLAMA31-AUP-*, text llama3.1-use-policy.txt,
# policy models/llama3_1/USE_POLICY.md, and the policy calls the model "Llama 3.1".
LLAMA = [
    Pack(
        f"llama{version}",
        f"LLAMA{version.replace('.', '')}-AUP",
        (f"llama{version}-use-policy.txt",),
        f"{LLAMA_GIT}/llama{version.replace('.', '_')}/USE_POLICY.md",
        "P",
        (f"Llama {version}",),
    )
    for version in ("2", "3", "3.1", "3.2", "3.3", "4")
]
# Only the Llama 3.2, 3.3 and 4 policies have AUP 1.h (circumventing usage restrictions or safety measures).
LLAMA_WITH_CIRCUMVENTION = ("llama3.2", "llama3.3", "llama4")
L_1E = (
    "Collect, process, disclose, generate, or infer health, demographic, or other sensitive personal or private information about individuals without rights and consents required by applicable laws",
    "Collect, process, disclose, generate, or infer private or sensitive information about individuals, including information about individuals’ identity, health, or demographic information, unless you have obtained the right to do so in accordance with applicable law",
)
L_3A = ("Generating, promoting, or furthering fraud or the creation or promotion of disinformation",)
L_3B = (
    "Generating, promoting, or furthering defamatory content, including the creation of defamatory statements, images, or other content",
)
L_CHILD = (
    "Exploitation or harm to children, including the solicitation, creation, acquisition, or dissemination of child exploitative content or failure to report Child Sexual Abuse Material",
)
L_2E = ("Self-harm or harm to others, including suicide, cutting, and eating disorders",)
LLAMA_CARRY: dict[str, Carry] = {
    "purpose-states-covert-monitoring": ("violation", "AUP 1.e", L_1E),
    "purpose-states-sensitive-inference": ("violation", "AUP 1.e", L_1E),
    "purpose-states-personal-data-exposure": ("violation", "AUP 1.e", L_1E),
    "purpose-states-discrimination": (
        "violation",
        "AUP 1.c",
        (
            "Engage in, promote, incite, or facilitate discrimination or other unlawful or harmful conduct in the provision of employment, employment benefits, credit, housing, other economic benefits, or other essential goods and services",
        ),
    ),
    "purpose-states-intimate-fabrication": ("violation", "AUP 3.b, 1.a.iii", L_3B),
    "purpose-states-passing-off": (
        "violation",
        "AUP 3.e",
        (
            "Representing that the use of {name} or outputs are human-generated",
            "Representing that the use of {name} or outputs are human generated",
        ),
    ),
    "purpose-states-fake-engagement": (
        "violation",
        "AUP 3.f, 3.c",
        (
            "Generating or facilitating false online engagement, including fake reviews and other means of fake online engagement",
        ),
    ),
    "purpose-states-fraud": ("violation", "AUP 3.a", L_3A),
    "purpose-states-forgery": ("violation", "AUP 3.a", L_3A),
    "purpose-states-misleading-expertise": ("violation", "AUP 3.a, 1.d", L_3A),
    "purpose-states-impersonation": (
        "violation",
        "AUP 3.d",
        ("Impersonating another individual without consent, authorization, or legal right",),
    ),
    "purpose-states-disinformation": ("violation", "AUP 3.a", L_3A),
    "purpose-states-defamation": ("violation", "AUP 3.b", L_3B),
    "purpose-states-weapons": (
        "violation",
        "AUP 2.b",
        ("Guns and illegal weapons (including weapon development)",),
    ),
    "purpose-states-military": (
        "violation",
        "AUP 2.a",
        (
            "Military, warfare, nuclear industries or applications, espionage, use for materials or activities that are subject to the International Traffic Arms Regulations (ITAR) maintained by the United States Department of State",
        ),
    ),
    "purpose-states-infrastructure-operation": (
        "violation",
        "AUP 2.d",
        ("Operation of critical infrastructure, transportation technologies, or heavy machinery",),
    ),
    "purpose-states-drugs": ("violation", "AUP 2.c", ("Illegal drugs and regulated/controlled substances",)),
    "purpose-states-self-harm": ("violation", "AUP 2.e", L_2E),
    "purpose-states-minors-harmful-dieting": ("violation", "AUP 2.e", L_2E),
    "purpose-states-harassment": (
        "violation",
        "AUP 1.b",
        (
            "Engage in, promote, incite, or facilitate the harassment, abuse, threatening, or bullying of individuals or groups of individuals",
        ),
    ),
    "purpose-states-violent-extremism": (
        "violation",
        "AUP 1.a.i, 2.f",
        (
            "Any content intended to incite or promote violence, abuse, or any infliction of bodily harm to an individual",
        ),
    ),
    "purpose-states-malware": (
        "violation",
        "AUP 1.g",
        (
            "Create, generate, or facilitate the creation of malicious code, malware, computer viruses or do anything else that could disable, overburden, interfere with or impair the proper working, integrity, operation or appearance of a website or computer system",
        ),
    ),
    "purpose-states-minors-sexual": ("violation", "AUP 1.a.ii", L_CHILD),
    "purpose-states-child-grooming": ("violation", "AUP 1.a.ii", L_CHILD),
    "purpose-states-age-gating-failure": (
        "violation",
        "AUP 1.a.iv",
        (
            "The illegal distribution of information or materials to minors, including obscene materials, or failure to employ legally required age-gating in connection with such information or materials.",
        ),
    ),
    "purpose-states-unlicensed-practice": (
        "violation",
        "AUP 1.d",
        (
            "Engage in the unauthorized or unlicensed practice of any profession including, but not limited to, financial, legal, medical/health, or related professional practices",
        ),
    ),
    "purpose-states-trafficking": (
        "violation",
        "AUP 1.a.iii",
        ("Human trafficking, exploitation, and sexual violence",),
    ),
}
LLAMA_CIRCUMVENT: Carry = (
    "violation",
    "AUP 1.h",
    (
        "Engage in any action, or facilitate any action, to intentionally circumvent or remove usage restrictions or other safety measures, or to enable functionality disabled by Meta",
    ),
)

GEMMA = Pack(
    "gemma",
    "GEMMA-PUP",
    ("gemma-prohibited-use-policy.txt",),
    "https://ai.google.dev/gemma/prohibited_use_policy",
    "C",
)
G_2CII = ("Generating content for deceptive or fraudulent activities, scams, phishing, or malware.",)
G_CHILD = ("Promoting or generating content related to child sexual abuse or exploitation;",)
G_3E = ("Generation of defamatory content, including defamatory statements, images, or audio content; or",)
G_2EVIII = (
    "Generating, gathering, processing, or inferring sensitive personal or private information about individuals without obtaining all rights, authorizations, and consents required by applicable laws.",
)
GEMMA_CARRY: dict[str, Carry] = {
    "purpose-states-fraud": ("violation", "Prohibited Use Policy 2.c.ii", G_2CII),
    "purpose-states-forgery": ("violation", "Prohibited Use Policy 2.c.ii", G_2CII),
    "purpose-states-fake-engagement": (
        "violation",
        "Prohibited Use Policy 2.c.i, 2.c.ii",
        ("Promoting or facilitating the generation or distribution of spam; or",),
    ),
    "purpose-states-malware": ("violation", "Prohibited Use Policy 2.c.ii", G_2CII),
    "purpose-states-automated-decision": (
        "violation",
        "Prohibited Use Policy 3.d",
        (
            "Making automated decisions in domains that affect material or individual rights or well-being (e.g., finance, legal, employment, healthcare, housing, insurance, and social welfare);",
        ),
    ),
    "purpose-states-covert-monitoring": (
        "violation",
        "Prohibited Use Policy 2.e.vi",
        ("Tracking or monitoring people without their consent;",),
    ),
    "purpose-states-explicit-content": (
        "violation",
        "Prohibited Use Policy 4",
        (
            "Generate sexually explicit content, including content created for the purposes of pornography or sexual gratification (e.g. sexual chatbots).",
        ),
    ),
    "purpose-states-intimate-fabrication": ("violation", "Prohibited Use Policy 3.e, 4", G_3E),
    "purpose-states-circumvention": (
        "violation",
        "Prohibited Use Policy 2.d",
        (
            "Attempts to override or circumvent safety filters or intentionally drive Gemma or Model Derivatives to act in a manner that contravenes this Gemma Prohibited Use Policy.",
        ),
    ),
    "purpose-states-unlicensed-practice": (
        "violation",
        "Prohibited Use Policy 2.b, 3.f",
        (
            "Engaging in the unauthorized or unlicensed practice of any profession including, but not limited to, financial, legal, medical/health, or related professional practices.",
        ),
    ),
    "purpose-states-misleading-expertise": (
        "violation",
        "Prohibited Use Policy 3.c",
        (
            "Misleading claims of expertise or capability made particularly in sensitive areas (e.g. health, finance, government services, or legal);",
        ),
    ),
    "purpose-states-passing-off": (
        "violation",
        "Prohibited Use Policy 3.a",
        (
            "Misrepresentation of the provenance of generated content by claiming content was created by a human, or represent generated content as original works, in order to deceive;",
        ),
    ),
    "purpose-states-impersonation": (
        "violation",
        "Prohibited Use Policy 3.b",
        (
            "Generation of content that impersonates an individual (living or dead) without explicit disclosure, in order to deceive;",
        ),
    ),
    "purpose-states-harassment": (
        "violation",
        "Prohibited Use Policy 2.e.i, 2.e.ii",
        ("Facilitating methods of harassment or bullying to intimidate, abuse, or insult others;",),
    ),
    "purpose-states-self-harm": (
        "violation",
        "Prohibited Use Policy 2.e.iv",
        ("Generating content that facilitates, promotes, or encourages self harm;",),
    ),
    "purpose-states-personal-data-exposure": (
        "violation",
        "Prohibited Use Policy 2.e.v",
        ("Generating personally identifying information for distribution or other harms;",),
    ),
    "purpose-states-sensitive-inference": ("violation", "Prohibited Use Policy 2.e.viii", G_2EVIII),
    "purpose-states-violent-extremism": (
        "violation",
        "Prohibited Use Policy 2.a.iv, 2.e.iii",
        ("Promoting or generating violent extremism or terrorist content.",),
    ),
    "purpose-states-drugs": (
        "violation",
        "Prohibited Use Policy 2.a.ii",
        (
            "Promoting or facilitating sale of, or providing instructions for synthesizing or accessing, illegal substances, goods, or services;",
        ),
    ),
    "purpose-states-minors-sexual": ("violation", "Prohibited Use Policy 2.a.i", G_CHILD),
    "purpose-states-child-grooming": ("violation", "Prohibited Use Policy 2.a.i", G_CHILD),
    "purpose-states-defamation": ("violation", "Prohibited Use Policy 3.e", G_3E),
    "purpose-states-disinformation": (
        "violation",
        "Prohibited Use Policy 3",
        ("Generate and distribute content intended to misinform, misrepresent or mislead, including:",),
    ),
    "purpose-states-discrimination": (
        "violation",
        "Prohibited Use Policy 2.e.vii",
        (
            "Generating content that may have unfair or adverse impacts on people, particularly impacts related to sensitive or protected characteristics; or",
        ),
    ),
    "purpose-states-trafficking": (
        "violation",
        "Prohibited Use Policy 2.a.iii",
        ("Facilitating or encouraging users to commit any type of crimes; or",),
    ),
    # building a bomb or an improvised gun, or instructions for it, is content that facilitates violence
    "purpose-states-explosive-instructions": (
        "violation",
        "Prohibited Use Policy 2.e.iii",
        ("Generating content that facilitates, promotes, or incites violence;",),
    ),
    # reviews: the policy does not name the act (weapons, infrastructure, biometric surveillance, social scoring)
    "purpose-states-weapons": (
        "review",
        "Prohibited Use Policy 2.a.ii, 2.e.iii",
        ("Generating content that facilitates, promotes, or incites violence;",),
    ),
    "purpose-states-infrastructure-operation": (
        "review",
        "Prohibited Use Policy 2.c",
        ("Abuse, harm, interference, or disruption of services (or enable others to do the same), such as:",),
    ),
    "purpose-states-biometric-surveillance": (
        "review",
        "Prohibited Use Policy 2.e.vi, 2.e.viii",
        ("Tracking or monitoring people without their consent;",),
    ),
    "purpose-states-social-scoring": (
        "review",
        "Prohibited Use Policy 2.e.vii",
        (
            "Generating content that may have unfair or adverse impacts on people, particularly impacts related to sensitive or protected characteristics; or",
        ),
    ),
}

GEMINI = Pack(
    "gemini-api-terms",
    "GEMINI-PUP",
    ("google-generative-ai-prohibited-use-policy.txt", "gemini-api-terms.txt"),
    "https://policies.google.com/terms/generative-ai/use-policy",
    "C",
)
GM_1E = (
    "Facilitates illegal activities or violations of law -- for example, providing instructions for synthesizing or accessing illegal or regulated substances, goods, or services.",
)
GM_1F = (
    "Violates the rights of others, including privacy and intellectual property rights -- for example, using personal data or biometrics without legally-required consent.",
)
GM_4A = ("Frauds, scams, or other deceptive actions.",)
GM_2A = ("Spam, phishing, or malware.",)
GEMINI_CARRY: dict[str, Carry] = {
    "purpose-states-fraud": ("violation", "Generative AI Prohibited Use Policy 4.a", GM_4A),
    "purpose-states-forgery": ("violation", "Generative AI Prohibited Use Policy 4.a", GM_4A),
    "purpose-states-fake-engagement": ("violation", "Generative AI Prohibited Use Policy 2.a, 4.a", GM_2A),
    "purpose-states-malware": ("violation", "Generative AI Prohibited Use Policy 2.a", GM_2A),
    "purpose-states-automated-decision": (
        "violation",
        "Generative AI Prohibited Use Policy 1.h",
        (
            "Makes automated decisions that have a material detrimental impact on individual rights without human supervision in high-risk domains -- for example, in employment, healthcare, finance, legal, housing, insurance, or social welfare.",
        ),
    ),
    "purpose-states-covert-monitoring": (
        "violation",
        "Generative AI Prohibited Use Policy 1.g",
        ("Tracks or monitors people without their consent.",),
    ),
    "purpose-states-explicit-content": (
        "violation",
        "Generative AI Prohibited Use Policy 3.d",
        (
            "Sexually explicit content -- for example, content created for the purpose of pornography or sexual gratification.",
        ),
    ),
    "purpose-states-intimate-fabrication": (
        "violation",
        "Generative AI Prohibited Use Policy 1.c",
        ("Facilitates non-consensual intimate imagery.",),
    ),
    "purpose-states-circumvention": (
        "violation",
        "Generative AI Prohibited Use Policy 2.c",
        (
            "Circumvention of abuse protections or safety filters -- for example, manipulating the model to contravene our policies.",
        ),
    ),
    "purpose-states-misleading-expertise": (
        "violation",
        "Generative AI Prohibited Use Policy 4.c",
        (
            "Facilitating misleading claims of expertise or capability in sensitive areas -- for example in health, finance, government services, or the law, in order to deceive.",
        ),
    ),
    "purpose-states-passing-off": (
        "violation",
        "Generative AI Prohibited Use Policy 4.e",
        (
            "Misrepresenting the provenance of generated content by claiming it was created solely by a human, in order to deceive.",
        ),
    ),
    "purpose-states-impersonation": (
        "violation",
        "Generative AI Prohibited Use Policy 4.b",
        ("Impersonating an individual (living or dead) without explicit disclosure, in order to deceive.",),
    ),
    "purpose-states-harassment": (
        "violation",
        "Generative AI Prohibited Use Policy 3.a, 3.b",
        ("Harassment, bullying, intimidation, abuse, or the insulting of others.",),
    ),
    "purpose-states-self-harm": (
        "violation",
        "Generative AI Prohibited Use Policy 1.d",
        ("Facilitates self-harm.",),
    ),
    "purpose-states-personal-data-exposure": ("violation", "Generative AI Prohibited Use Policy 1.f", GM_1F),
    "purpose-states-sensitive-inference": ("violation", "Generative AI Prohibited Use Policy 1.f", GM_1F),
    "purpose-states-violent-extremism": (
        "violation",
        "Generative AI Prohibited Use Policy 1.b, 3.c",
        ("Facilitates violent extremism or terrorism.",),
    ),
    "purpose-states-drugs": ("violation", "Generative AI Prohibited Use Policy 1.e", GM_1E),
    "purpose-states-trafficking": ("violation", "Generative AI Prohibited Use Policy 1.e", GM_1E),
    "purpose-states-minors-sexual": (
        "violation",
        "Generative AI Prohibited Use Policy 1.a",
        ("Relates to child sexual abuse or exploitation.",),
    ),
    "purpose-states-child-grooming": (
        "violation",
        "Generative AI Prohibited Use Policy 1.a",
        ("Relates to child sexual abuse or exploitation.",),
    ),
    "purpose-states-disinformation": (
        "violation",
        "Generative AI Prohibited Use Policy 4.a, 4.d",
        (
            "Facilitating misleading claims related to governmental or democratic processes or harmful health practices, in order to deceive.",
        ),
    ),
    "purpose-states-medical-advice": (
        "violation",
        "Use Restrictions (medical advice)",
        (
            "You may not use the Services in clinical practice, to provide medical advice, or in any manner that is overseen by or requires clearance or approval from a medical device regulatory agency.",
        ),
    ),
    # reviews: the policy has no item for the act, or the item needs a judgement
    "purpose-states-weapons": ("review", "Generative AI Prohibited Use Policy 1.e, 3.c", GM_1E),
    "purpose-states-explosive-instructions": (
        "violation",
        "Generative AI Prohibited Use Policy 3.c",
        ("Violence or the incitement of violence.",),
    ),
    "purpose-states-infrastructure-operation": (
        "review",
        "Generative AI Prohibited Use Policy 2.b",
        (
            "Abuse of, harm to, interference with, or disruption to Google’s or others’ infrastructure or services.",
        ),
    ),
    "purpose-states-biometric-surveillance": (
        "review",
        "Generative AI Prohibited Use Policy 1.f, 1.g",
        GM_1F,
    ),
    "purpose-states-social-scoring": ("review", "Generative AI Prohibited Use Policy 1.f", GM_1F),
    "purpose-states-unlicensed-practice": ("review", "Generative AI Prohibited Use Policy 1.e, 4.c", GM_1E),
    "purpose-states-discrimination": ("review", "Generative AI Prohibited Use Policy 1.f", GM_1F),
    "purpose-states-defamation": ("review", "Generative AI Prohibited Use Policy 4.a", GM_4A),
}

OPENAI = Pack(
    "openai-terms",
    "OPENAI-AUP",
    ("openai-usage-policies.txt", "openai-terms.txt"),
    "https://openai.com/policies/usage-policies/",
    "C",
)
O_PRIVACY = (
    "So, we don't allow attempts to compromise the privacy of others, including to aggregate, monitor, profile, or distribute individuals' private or sensitive information without their authorization.",
)
O_CLASSIFY = (
    "evaluation or classification of individuals based on their social behavior, personal traits, or biometric data (including social scoring, profiling, or inferring sensitive attributes)",
)
O_ILLICIT = ("illicit activities, goods, or services",)
O_DECEIT = ("deceit, fraud, scams, spam, or impersonation",)
O_HARASS = ("threats, intimidation, harassment, or defamation",)
OPENAI_CARRY: dict[str, Carry] = {
    "purpose-states-harassment": ("violation", "Usage Policies (2025-10-29), Protect people", O_HARASS),
    "purpose-states-defamation": ("violation", "Usage Policies (2025-10-29), Protect people", O_HARASS),
    "purpose-states-self-harm": (
        "violation",
        "Usage Policies (2025-10-29), Protect people",
        ("suicide, self-harm, or disordered eating promotion or facilitation",),
    ),
    "purpose-states-intimate-fabrication": (
        "violation",
        "Usage Policies (2025-10-29), Protect people",
        ("sexual violence or non-consensual intimate content",),
    ),
    "purpose-states-violent-extremism": (
        "violation",
        "Usage Policies (2025-10-29), Protect people",
        ("terrorism or violence, including hate-based violence",),
    ),
    "purpose-states-weapons": (
        "violation",
        "Usage Policies (2025-10-29), Protect people",
        ("weapons development, procurement, or use, including conventional weapons or CBRNE",),
    ),
    "purpose-states-drugs": ("violation", "Usage Policies (2025-10-29), Protect people", O_ILLICIT),
    "purpose-states-trafficking": ("violation", "Usage Policies (2025-10-29), Protect people", O_ILLICIT),
    "purpose-states-malware": (
        "violation",
        "Usage Policies (2025-10-29), Protect people",
        (
            "destruction, compromise, or breach of another's system or property, including malicious or abusive cyber activity or attempts to infringe on intellectual property rights of others",
        ),
    ),
    "purpose-states-gambling": (
        "violation",
        "Usage Policies (2025-10-29), Protect people",
        ("real money gambling",),
    ),
    "purpose-states-unlicensed-practice": (
        "violation",
        "Usage Policies (2025-10-29), Protect people",
        (
            "provision of tailored advice that requires a license, such as legal or medical advice, without appropriate involvement by a licensed professional",
        ),
    ),
    "purpose-states-circumvention": (
        "violation",
        "Usage Policies (2025-10-29), Protect people",
        ("circumventing our safeguards",),
    ),
    "purpose-states-covert-monitoring": (
        "violation",
        "Usage Policies (2025-10-29), Respect privacy",
        O_PRIVACY,
    ),
    "purpose-states-personal-data-exposure": (
        "violation",
        "Usage Policies (2025-10-29), Respect privacy",
        O_PRIVACY,
    ),
    "purpose-states-biometric-surveillance": (
        "violation",
        "Usage Policies (2025-10-29), Respect privacy",
        ("real-time remote biometric identification in public spaces",),
    ),
    "purpose-states-social-scoring": (
        "violation",
        "Usage Policies (2025-10-29), Respect privacy",
        O_CLASSIFY,
    ),
    "purpose-states-sensitive-inference": (
        "violation",
        "Usage Policies (2025-10-29), Respect privacy",
        O_CLASSIFY,
    ),
    "purpose-states-discrimination": (
        "violation",
        "Usage Policies (2025-10-29), Respect privacy",
        O_CLASSIFY,
    ),
    "purpose-states-emotion-inference": (
        "violation",
        "Usage Policies (2025-10-29), Respect privacy",
        (
            "inference regarding an individual's emotions in the workplace and educational settings, except when necessary for medical or safety reasons",
        ),
    ),
    "purpose-states-crime-prediction": (
        "violation",
        "Usage Policies (2025-10-29), Respect privacy",
        (
            "assessment or prediction of the risk of an individual committing a criminal offense based solely on their personal traits or on profiling",
        ),
    ),
    "purpose-states-minors-sexual": (
        "violation",
        "Usage Policies (2025-10-29), Keep minors safe",
        ("underaged sexual or violent roleplay",),
    ),
    "purpose-states-child-grooming": (
        "violation",
        "Usage Policies (2025-10-29), Keep minors safe",
        ("grooming of minors",),
    ),
    "purpose-states-minors-harmful-dieting": (
        "violation",
        "Usage Policies (2025-10-29), Keep minors safe",
        ("promoting unhealthy dieting or exercise behavior to minors",),
    ),
    "purpose-states-minors-dangerous-challenges": (
        "violation",
        "Usage Policies (2025-10-29), Keep minors safe",
        ("dangerous challenges for minors",),
    ),
    "purpose-states-age-gating-failure": (
        "violation",
        "Usage Policies (2025-10-29), Keep minors safe",
        ("underaged access to age-restricted goods or activities",),
    ),
    "purpose-states-academic-dishonesty": (
        "violation",
        "Usage Policies (2025-10-29), Empower people",
        ("academic dishonesty",),
    ),
    "purpose-states-fake-engagement": ("violation", "Usage Policies (2025-10-29), Empower people", O_DECEIT),
    "purpose-states-fraud": ("violation", "Usage Policies (2025-10-29), Empower people", O_DECEIT),
    "purpose-states-forgery": ("violation", "Usage Policies (2025-10-29), Empower people", O_DECEIT),
    "purpose-states-impersonation": (
        "violation",
        "Usage Policies (2025-10-29), Empower people; Respect privacy",
        (
            "use of someone's likeness, including their photorealistic image or voice, without their consent in ways that could confuse authenticity",
        ),
    ),
    "purpose-states-disinformation": ("violation", "Usage Policies (2025-10-29), Empower people", O_DECEIT),
    "purpose-states-political-campaigning": (
        "violation",
        "Usage Policies (2025-10-29), Empower people",
        (
            "political campaigning, lobbying, foreign or domestic election interference, or demobilization activities",
        ),
    ),
    "purpose-states-automated-decision": (
        "violation",
        "Usage Policies (2025-10-29), Empower people",
        ("automation of high-stakes decisions in sensitive areas without human review",),
    ),
    "purpose-states-infrastructure-operation": (
        "violation",
        "Usage Policies (2025-10-29), Empower people (critical infrastructure)",
        ("automation of high-stakes decisions in sensitive areas without human review",),
    ),
    "purpose-states-exploitation": (
        "violation",
        "Usage Policies (2025-10-29), Empower people",
        (
            "So we don't allow our services to be used to manipulate or deceive people, to interfere with their exercise of human rights, to exploit people's vulnerabilities, or to interfere with their ability to get an education or access critical services, including any use for:",
        ),
    ),
    # reviews
    "purpose-states-military": (
        "review",
        "Usage Policies (2025-10-29), Protect people",
        ("national security or intelligence purposes without our review and approval",),
    ),
    "purpose-states-passing-off": (
        "review",
        "Terms of Use (2023) §2(c)(v)",
        ("represent that output from the Services was human-generated when it is not",),
    ),
}

ANTHROPIC = Pack(
    "anthropic-terms",
    "ANTHROPIC-AUP",
    ("anthropic-usage-policy.txt", "anthropic-terms.txt"),
    "https://www.anthropic.com/legal/aup",
    "C",
)
A_HITL = (
    "Human-in-the-loop: When using our products or services to provide advice, recommendations, or in subjective decision-making directly affecting individuals or consumers, a qualified professional in that field must review the content or decision prior to dissemination or finalization.",
)


def _heading(h: str) -> Carry:
    return ("review", f"Usage Policy, Universal Usage Standards: {h} (heading only)", (h,))


A_PRIV = _heading("Do Not Compromise Privacy or Identity Rights")
A_FRAUD = _heading("Do Not Engage in Fraudulent, Abusive, or Predatory Practices")
A_CHILD = _heading("Do Not Compromise Children’s Safety")
A_LAW = _heading("Do Not Violate Applicable Laws or Engage in Illegal Activity")
A_MISINFO = _heading("Do Not Create or Spread Misinformation")
A_VIOLENCE = _heading("Do Not Incite Violence or Hateful Behavior")
A_HARMFUL = _heading("Do Not Create Psychologically or Emotionally Harmful Content")
A_SEXUAL = _heading("Do Not Generate Sexually Explicit Content")
A_JUSTICE = _heading(
    "Do Not Use for Criminal Justice, Censorship, Surveillance, or Prohibited Law Enforcement Purposes"
)
ANTHROPIC_CARRY: dict[str, Carry] = {
    "purpose-states-automated-decision": (
        "violation",
        "Usage Policy, High-Risk Use Case Requirements (Human-in-the-loop)",
        A_HITL,
    ),
    "purpose-states-unlicensed-practice": (
        "violation",
        "Usage Policy, High-Risk Use Case Requirements (Human-in-the-loop)",
        A_HITL,
    ),
    "purpose-states-passing-off": (
        "violation",
        "Usage Policy, High-Risk Use Case Requirements (Disclosure); Additional Use Case Guidelines",
        (
            "All consumer-facing chatbots, including any external-facing or interactive AI agent, must disclose to users that they are interacting with AI rather than a human.",
        ),
    ),
    "purpose-states-covert-monitoring": A_PRIV,
    "purpose-states-personal-data-exposure": A_PRIV,
    "purpose-states-sensitive-inference": A_PRIV,
    "purpose-states-intimate-fabrication": A_SEXUAL,
    "purpose-states-explicit-content": A_SEXUAL,
    "purpose-states-fake-engagement": A_FRAUD,
    "purpose-states-fraud": A_FRAUD,
    "purpose-states-impersonation": A_FRAUD,
    "purpose-states-forgery": A_FRAUD,
    "purpose-states-exploitation": A_FRAUD,
    "purpose-states-academic-dishonesty": A_FRAUD,
    "purpose-states-disinformation": A_MISINFO,
    "purpose-states-defamation": A_MISINFO,
    "purpose-states-weapons": _heading("Do Not Develop or Design Weapons"),
    "purpose-states-infrastructure-operation": _heading("Do Not Compromise Critical Infrastructure"),
    "purpose-states-malware": _heading("Do Not Compromise Computer or Network Systems"),
    "purpose-states-drugs": A_LAW,
    "purpose-states-trafficking": A_LAW,
    "purpose-states-discrimination": A_LAW,
    "purpose-states-self-harm": A_HARMFUL,
    "purpose-states-minors-harmful-dieting": A_HARMFUL,
    "purpose-states-harassment": A_VIOLENCE,
    "purpose-states-violent-extremism": A_VIOLENCE,
    "purpose-states-minors-sexual": A_CHILD,
    "purpose-states-child-grooming": A_CHILD,
    "purpose-states-age-gating-failure": A_CHILD,
    "purpose-states-circumvention": _heading("Do Not Abuse our Platform"),
    "purpose-states-political-campaigning": _heading(
        "Do Not Undermine Democratic Processes or Engage in Targeted Campaign Activities"
    ),
    "purpose-states-crime-prediction": A_JUSTICE,
    "purpose-states-justice-profiling": A_JUSTICE,
    "purpose-states-biometric-surveillance": A_JUSTICE,
    "purpose-states-commercial-synthetic-data": (
        "review",
        "Commercial Terms D.4 (quoted, not read in full)",
        (
            "Customer may not and must not attempt to (a) access the Services to build a competing product or service, including to train competing AI models or resell the Services except as expressly approved by Anthropic;",
        ),
    ),
}

RAIL_LAW = "In any way that violates any applicable national, federal, state, local or international law or regulation;"
RAIL_MINORS = "For the purpose of exploiting, harming or attempting to exploit or harm minors in any way;"
RAIL_FALSE_BLOOM = (
    "To generate or disseminate verifiably false information with the purpose of harming others;"
)
RAIL_FALSE = "To generate or disseminate verifiably false information and/or content with the purpose of harming others;"
RAIL_PII = (
    "To generate or disseminate personal identifiable information that can be used to harm an individual;"
)
RAIL_DISCLOSE_BLOOM = "To generate or disseminate information or content, in any context (e.g. posts, articles, tweets, chatbots or other kinds of automated bots) without expressly and intelligibly disclaiming that the text is machine generated;"
RAIL_DISCLOSE = "To generate or disseminate information and/or content (e.g. images, code, posts, articles), and place the information and/or content in any context (e.g. bot generating tweets) without expressly and intelligibly disclaiming that the information and/or content is machine generated;"
RAIL_DEFAME = "To defame, disparage or otherwise harass others;"
RAIL_IMPERSONATE_BLOOM = "To impersonate or attempt to impersonate others;"
RAIL_IMPERSONATE = "To impersonate or attempt to impersonate (e.g. deepfakes) others without their consent;"
RAIL_AUTOMATED = "For fully automated decision making that adversely impacts an individual’s legal rights or otherwise creates or modifies a binding, enforceable obligation;"
RAIL_SOCIAL = "For any use intended to or which has the effect of discriminating against or harming individuals or groups based on online or offline social behavior or known or predicted personal or personality characteristics"
RAIL_EXPLOIT = "To exploit any of the vulnerabilities of a specific group of persons based on their age, social, physical or mental characteristics, in order to materially distort the behavior of a person pertaining to that group in a manner that causes or is likely to cause that person or another person physical or psychological harm;"
RAIL_PROTECTED = "For any use intended to or which has the effect of discriminating against individuals or groups based on legally protected characteristics or categories;"
RAIL_MEDICAL = "To provide medical advice and medical results interpretation;"
RAIL_JUSTICE = "To generate or disseminate information for the purpose to be used for administration of justice, law enforcement, immigration or asylum processes, such as predicting an individual will commit fraud/crime commitment"

BLOOM = Pack(
    "bigscience-bloom-rail-1.0",
    "BLOOMRAIL-AUP",
    ("bigscience-bloom-rail-1.0.txt",),
    "https://huggingface.co/spaces/bigscience/license",
    "C",
)
OPENRAILM = Pack(
    "bigscience-openrail-m",
    "BIGSCIENCE-OPENRAILM-AUP",
    ("bigscience-openrail-m.txt",),
    "https://www.licenses.ai/blog/2022/8/26/bigscience-open-rail-m-license",
    "C",
)
CREATIVEML = Pack(
    "creativeml-openrail-m",
    "CREATIVEML-AUP",
    ("creativeml-openrail-m.txt",),
    "https://github.com/CompVis/stable-diffusion/blob/21f890f9da3cfbeaba8e2ac3c425ee9e998d5229/LICENSE",
    "P",
)
OPENRAILPP = Pack(
    "openrail++",
    "OPENRAILPP-AUP",
    ("openrail++.txt", "openrail++-20230726.txt"),
    "https://github.com/Stability-AI/stablediffusion/blob/cf1d67a6fd5ea1aa600c4df58e5b47da45f6bdbf/LICENSE-MODEL",
    "P",
)


def _rail(labels: dict[str, str], bloom: bool, full: bool) -> dict[str, Carry]:
    """Attachment A of the RAIL licences; `labels` names each item in the pack's own scheme."""

    def item(key: str, *quotes: str, outcome: str = "violation") -> Carry:
        return (outcome, f"Attachment A, {labels[key]}", quotes)

    false = RAIL_FALSE_BLOOM if bloom else RAIL_FALSE
    carry: dict[str, Carry] = {
        "purpose-states-fraud": item("law", RAIL_LAW),
        "purpose-states-forgery": item("law", RAIL_LAW),
        "purpose-states-malware": item("law", RAIL_LAW),
        "purpose-states-drugs": item("law", RAIL_LAW),
        "purpose-states-trafficking": item("law", RAIL_LAW),
        "purpose-states-covert-monitoring": item("law", RAIL_LAW),
        "purpose-states-weapons": item("law", RAIL_LAW, outcome="review"),
        "purpose-states-violent-extremism": item("law", RAIL_LAW, outcome="review"),
        "purpose-states-biometric-surveillance": item("law", RAIL_LAW, outcome="review"),
        "purpose-states-minors-sexual": item("minors", RAIL_MINORS),
        "purpose-states-child-grooming": item("minors", RAIL_MINORS),
        "purpose-states-age-gating-failure": item("minors", RAIL_MINORS),
        "purpose-states-minors-harmful-dieting": item("minors", RAIL_MINORS),
        "purpose-states-minors-dangerous-challenges": item("minors", RAIL_MINORS),
        "purpose-states-disinformation": item("false", false),
        "purpose-states-personal-data-exposure": item("pii", RAIL_PII),
        "purpose-states-defamation": item("defame", RAIL_DEFAME),
        "purpose-states-harassment": item("defame", RAIL_DEFAME),
        "purpose-states-automated-decision": item("automated", RAIL_AUTOMATED),
        "purpose-states-social-scoring": item("social", RAIL_SOCIAL),
        "purpose-states-sensitive-inference": item("social", RAIL_SOCIAL),
        "purpose-states-crime-prediction": item("justice", RAIL_JUSTICE),
        "purpose-states-justice-profiling": item("justice", RAIL_JUSTICE),
        "purpose-states-exploitation": item("exploit", RAIL_EXPLOIT),
        "purpose-states-discrimination": item("protected", RAIL_PROTECTED),
        "purpose-states-medical-advice": item("medical", RAIL_MEDICAL),
    }
    if full:  # BLOOM RAIL and BigScience OpenRAIL-M: machine-generated disclosure and impersonation items
        carry["purpose-states-passing-off"] = item(
            "disclose", RAIL_DISCLOSE_BLOOM if bloom else RAIL_DISCLOSE
        )
        carry["purpose-states-impersonation"] = item(
            "impersonate", RAIL_IMPERSONATE_BLOOM if bloom else RAIL_IMPERSONATE
        )
        carry["purpose-states-intimate-fabrication"] = item(
            "impersonate", RAIL_IMPERSONATE_BLOOM if bloom else RAIL_IMPERSONATE
        )
    else:
        carry["purpose-states-impersonation"] = item("law", RAIL_LAW)
        carry["purpose-states-intimate-fabrication"] = item("defame", RAIL_DEFAME)
    return carry


# The thirteen items of Attachment A, in the order both BigScience licences number them.
RAIL_ITEMS = (
    "law",
    "minors",
    "false",
    "pii",
    "disclose",
    "defame",
    "impersonate",
    "automated",
    "social",
    "exploit",
    "protected",
    "medical",
    "justice",
)
# BLOOM RAIL numbers them "item 1" to "item 13", BigScience OpenRAIL-M letters them (a) to (m).
BLOOM_CARRY = _rail({key: f"item {n}" for n, key in enumerate(RAIL_ITEMS, 1)}, bloom=True, full=True)
OPENRAILM_CARRY = _rail(
    {key: f"({chr(ord('a') + n)})" for n, key in enumerate(RAIL_ITEMS)}, bloom=False, full=True
)
CREATIVE_LABELS = {
    "law": "(law)",
    "minors": "(minors)",
    "false": "(false information)",
    "pii": "(personal information)",
    "defame": "(defamation, harassment)",
    "automated": "(fully automated decision-making)",
    "social": "(social behaviour, personal characteristics)",
    "exploit": "(vulnerable groups)",
    "protected": "(protected characteristics)",
    "medical": "(medical advice)",
    "justice": "(justice, law enforcement, immigration, asylum)",
}
CREATIVEML_CARRY = _rail(CREATIVE_LABELS, bloom=False, full=False)
OPENRAILPP_CARRY = _rail(CREATIVE_LABELS, bloom=False, full=False)

STABILITY = Pack(
    "stabilityai-community",
    "STABILITY-AUP",
    ("stabilityai-acceptable-use.txt",),
    "https://stability.ai/use-policy",
    "C",
)
S_LAW = ("violations of law or others’ rights, including intellectual property and privacy rights.",)
S_DECEIVE = ("impersonation of others without consent or legal right, including defamatory content.",)
S_CHILD = ("child sexual abuse material (CSAM), sexual exploitation, grooming, or trafficking of minors.",)
S_HATE = (
    "discrimination, threats, or promotion of violence or hateful content based on protected attributes.",
)
S_PROFILE = (
    "evaluating or classifying persons based on their social behavior, personal characteristics, or the use of social scoring leading to detrimental or unfavorable treatment.",
)
S_CRIME = (
    "assessing or predicting the risk of a person committing a crime, based solely on profiling or personal traits.",
)
S_ADVICE = (
    "provision of advice on essential services, including in the medical or health field, without review by a qualified professional and disclosure of the use of AI assistance and its potential limitations.",
)
STABILITY_CARRY: dict[str, Carry] = {
    "purpose-states-fraud": ("violation", "AUP, Violations of Law or Others’ Rights", S_LAW),
    "purpose-states-forgery": ("violation", "AUP, Violations of Law or Others’ Rights", S_LAW),
    "purpose-states-drugs": ("violation", "AUP, Violations of Law or Others’ Rights", S_LAW),
    "purpose-states-covert-monitoring": ("violation", "AUP, Violations of Law or Others’ Rights", S_LAW),
    "purpose-states-personal-data-exposure": (
        "violation",
        "AUP, Violations of AI laws",
        ("sharing of personal information without consent.",),
    ),
    "purpose-states-sensitive-inference": ("violation", "AUP, Violations of Law or Others’ Rights", S_LAW),
    "purpose-states-exploitation": (
        "violation",
        "AUP, Violations of AI laws",
        ("exploiting vulnerabilities due to age, disability, or socio-economic situations.",),
    ),
    "purpose-states-social-scoring": ("violation", "AUP, Violations of AI laws", S_PROFILE),
    "purpose-states-discrimination": (
        "violation",
        "AUP, Emotional or Physical Harm to Others or Self",
        S_HATE,
    ),
    "purpose-states-crime-prediction": ("violation", "AUP, Violations of AI laws", S_CRIME),
    "purpose-states-justice-profiling": ("violation", "AUP, Violations of AI laws", S_CRIME),
    "purpose-states-biometric-surveillance": (
        "violation",
        "AUP, Violations of AI laws",
        ("creating or expanding facial recognition databases without consent.",),
    ),
    "purpose-states-emotion-inference": (
        "violation",
        "AUP, Violations of AI laws",
        (
            "inferring emotions in the workplace or education institution, except for medical or safety reasons.",
        ),
    ),
    "purpose-states-unlicensed-practice": ("violation", "AUP, Violations of AI laws", S_ADVICE),
    "purpose-states-minors-sexual": ("violation", "AUP, Harm to or Exploitation against Children", S_CHILD),
    "purpose-states-child-grooming": ("violation", "AUP, Harm to or Exploitation against Children", S_CHILD),
    "purpose-states-intimate-fabrication": (
        "violation",
        "AUP, Sexually Explicit Content",
        ("non-consensual intimate imagery (NCII).",),
    ),
    "purpose-states-explicit-content": (
        "violation",
        "AUP, Sexually Explicit Content",
        ("content relating to sexual intercourse, sexual acts, or sexual violence.",),
    ),
    "purpose-states-self-harm": (
        "violation",
        "AUP, Emotional or Physical Harm to Others or Self",
        ("encouragement or instructions related to self harm or harm to others.",),
    ),
    "purpose-states-harassment": ("violation", "AUP, Emotional or Physical Harm to Others or Self", S_HATE),
    "purpose-states-violent-extremism": (
        "violation",
        "AUP, Emotional or Physical Harm to Others or Self",
        ("support for organizations or individuals associated with terrorism or hate.",),
    ),
    "purpose-states-trafficking": (
        "violation",
        "AUP, Emotional or Physical Harm to Others or Self",
        ("content relating to human trafficking or exploitation.",),
    ),
    "purpose-states-gore": (
        "violation",
        "AUP, Emotional or Physical Harm to Others or Self",
        ("extreme gore, such as content involving bodily destruction, mutilation, torture or animal abuse.",),
    ),
    "purpose-states-weapons": (
        "violation",
        "AUP, Emotional or Physical Harm to Others or Self",
        ("the development or manufacturing of any illegal or regulated weapons.",),
    ),
    "purpose-states-circumvention": (
        "violation",
        "AUP, Circumvention of Our Safeguards",
        (
            "intentional bypassing of product safeguards or restrictions established within Stability Technology.",
        ),
    ),
    "purpose-states-malware": (
        "violation",
        "AUP, Circumvention of Our Safeguards",
        (
            "malicious code, malware, computer viruses, or any activity that could interfere with the integrity of a website or system.",
        ),
    ),
    "purpose-states-disinformation": (
        "violation",
        "AUP, Deceiving or Misleading Others",
        ("misinformation or disinformation.",),
    ),
    "purpose-states-impersonation": ("violation", "AUP, Deceiving or Misleading Others", S_DECEIVE),
    "purpose-states-defamation": ("violation", "AUP, Deceiving or Misleading Others", S_DECEIVE),
    "purpose-states-passing-off": (
        "violation",
        "AUP, Deceiving or Misleading Others",
        (
            "misleading end users about the nature of outputs from Stability AI Technology (such as pretending it was made by a human) or failing to appropriately disclose when someone is interacting with AI where it is not apparent.",
        ),
    ),
    "purpose-states-medical-advice": ("review", "AUP, Violations of AI laws", S_ADVICE),
}

DEEPSEEK = Pack(
    "deepseek",
    "DEEPSEEK-AUP",
    ("deepseek.txt",),
    "https://github.com/deepseek-ai/DeepSeek-V3/blob/9b4e9788e4a3a731f7567338ed15d3ec549ce03b/LICENSE-MODEL",
    "P",
)
D_LAW = (
    "In any way that violates any applicable national or international law or regulation or infringes upon the lawful rights and interests of any third party;",
)
D_MINORS = ("For the purpose of exploiting, harming or attempting to exploit or harm minors in any way;",)
D_DEFAME = ("To defame, disparage or otherwise harass others;",)
D_PII = (
    "To generate or disseminate personal identifiable information without due authorization or for unreasonable use;",
)
D_SOCIAL = (
    "For any use intended to or which has the effect of discriminating against or harming individuals or groups based on online or offline social behavior or known or predicted personal or personality characteristics;",
)
DEEPSEEK_CARRY: dict[str, Carry] = {
    "purpose-states-military": ("violation", "Attachment A, bullet 2", ("For military use in any way;",)),
    "purpose-states-minors-sexual": ("violation", "Attachment A, bullet 3 (minors)", D_MINORS),
    "purpose-states-child-grooming": ("violation", "Attachment A, bullet 3 (minors)", D_MINORS),
    "purpose-states-age-gating-failure": ("violation", "Attachment A, bullet 3 (minors)", D_MINORS),
    "purpose-states-minors-harmful-dieting": ("violation", "Attachment A, bullet 3 (minors)", D_MINORS),
    "purpose-states-minors-dangerous-challenges": ("violation", "Attachment A, bullet 3 (minors)", D_MINORS),
    "purpose-states-disinformation": (
        "violation",
        "Attachment A, bullet 4 (false information)",
        (
            "To generate or disseminate verifiably false information and/or content with the purpose of harming others;",
        ),
    ),
    "purpose-states-regulated-content": (
        "review",
        "Attachment A, bullet 5 (regulated content)",
        ("To generate or disseminate inappropriate content subject to applicable regulatory requirements;",),
    ),
    "purpose-states-personal-data-exposure": (
        "violation",
        "Attachment A, bullet 6 (personal information)",
        D_PII,
    ),
    "purpose-states-sensitive-inference": (
        "violation",
        "Attachment A, bullets 1 and 6 (personal information)",
        D_PII,
    ),
    "purpose-states-covert-monitoring": (
        "violation",
        "Attachment A, bullet 1 (law and third-party rights)",
        D_LAW,
    ),
    "purpose-states-defamation": ("violation", "Attachment A, bullet 7 (defamation, harassment)", D_DEFAME),
    "purpose-states-harassment": ("violation", "Attachment A, bullet 7 (defamation, harassment)", D_DEFAME),
    "purpose-states-intimate-fabrication": (
        "violation",
        "Attachment A, bullet 7 (defamation, harassment)",
        D_DEFAME,
    ),
    "purpose-states-automated-decision": (
        "violation",
        "Attachment A, bullet 8 (automated decisions)",
        (
            "For fully automated decision making that adversely impacts an individual’s legal rights or otherwise creates or modifies a binding, enforceable obligation;",
        ),
    ),
    "purpose-states-social-scoring": ("violation", "Attachment A, bullet 9 (social behaviour)", D_SOCIAL),
    "purpose-states-crime-prediction": ("violation", "Attachment A, bullet 9 (social behaviour)", D_SOCIAL),
    "purpose-states-justice-profiling": ("violation", "Attachment A, bullet 9 (social behaviour)", D_SOCIAL),
    "purpose-states-exploitation": (
        "violation",
        "Attachment A, bullet 10 (vulnerable groups)",
        (
            "To exploit any of the vulnerabilities of a specific group of persons based on their age, social, physical or mental characteristics, in order to materially distort the behavior of a person pertaining to that group in a manner that causes or is likely to cause that person or another person physical or psychological harm;",
        ),
    ),
    "purpose-states-discrimination": (
        "violation",
        "Attachment A, bullet 11 (protected characteristics)",
        (
            "For any use intended to or which has the effect of discriminating against individuals or groups based on legally protected characteristics or categories.",
        ),
    ),
    "purpose-states-malware": ("violation", "Attachment A, bullet 1 (law and third-party rights)", D_LAW),
    "purpose-states-drugs": ("violation", "Attachment A, bullet 1 (law and third-party rights)", D_LAW),
    "purpose-states-fraud": ("violation", "Attachment A, bullet 1 (law and third-party rights)", D_LAW),
    "purpose-states-forgery": ("violation", "Attachment A, bullet 1 (law and third-party rights)", D_LAW),
    "purpose-states-impersonation": (
        "violation",
        "Attachment A, bullet 1 (law and third-party rights)",
        D_LAW,
    ),
    "purpose-states-trafficking": ("violation", "Attachment A, bullet 1 (law and third-party rights)", D_LAW),
    "purpose-states-weapons": ("review", "Attachment A, bullet 1 (law and third-party rights)", D_LAW),
}

COHERE = Pack(
    "c4ai-cc-by-nc",
    "C4AI-AUP",
    ("c4ai-acceptable-use.txt",),
    "https://github.com/cohere-ai/cohere-developer-experience/blob/aa56e742be817e9789248dc743d9b6be4ad93631/fern/pages/cohere-for-ai/c4ai-acceptable-use-policy.mdx",
    "P",
)
C_VIOLENCE = (
    "engaging in, promoting, or inciting violence, threats, hate speech self-harm, sexual exploitation, or targeting of individuals based on protected characteristics.",
)
C_SEXUAL = (
    "encouraging, facilitating, or carrying out any activities that exploit, abuse, or endanger individuals, and particularly children, including soliciting, creating, or distributing child exploitative content or Child Sexual Abuse Material.",
)
C_SENSITIVE = (
    "collecting, disclosing, or inferring health, demographic, or other sensitive personal or private information about individuals without lawful authority or obtaining all rights and consents required by applicable laws.",
)
C_FRAUD = (
    "misrepresenting generated content from models as human-created or allowing individuals to create false identities for malicious purposes, deception, or to cause harm, through methods including:",
)
COHERE_CARRY: dict[str, Carry] = {
    "purpose-states-commercial-synthetic-data": (
        "violation",
        "Acceptable Use Policy, Synthetic data for commercial uses",
        (
            "generating synthetic data outputs for commercial purposes, including to train, improve, benchmark, enhance or otherwise develop model derivatives, or any products or services in connection with the foregoing.",
        ),
    ),
    "purpose-states-violent-extremism": ("violation", "Acceptable Use Policy, Violence and harm", C_VIOLENCE),
    "purpose-states-self-harm": ("violation", "Acceptable Use Policy, Violence and harm", C_VIOLENCE),
    "purpose-states-discrimination": ("violation", "Acceptable Use Policy, Violence and harm", C_VIOLENCE),
    "purpose-states-harassment": (
        "violation",
        "Acceptable Use Policy, Harassment and abuse",
        (
            "engaging in, promoting, facilitating, or inciting activities that harass or abuse individuals or groups.",
        ),
    ),
    "purpose-states-minors-sexual": (
        "violation",
        "Acceptable Use Policy, Sexual exploitation, harm, or abuse",
        C_SEXUAL,
    ),
    "purpose-states-child-grooming": (
        "violation",
        "Acceptable Use Policy, Sexual exploitation, harm, or abuse",
        C_SEXUAL,
    ),
    "purpose-states-trafficking": (
        "violation",
        "Acceptable Use Policy, Sexual exploitation, harm, or abuse",
        C_SEXUAL,
    ),
    "purpose-states-sensitive-inference": (
        "violation",
        "Acceptable Use Policy, Sensitive information",
        C_SENSITIVE,
    ),
    "purpose-states-covert-monitoring": (
        "violation",
        "Acceptable Use Policy, Sensitive information",
        C_SENSITIVE,
    ),
    "purpose-states-personal-data-exposure": (
        "violation",
        "Acceptable Use Policy, Sensitive information",
        C_SENSITIVE,
    ),
    "purpose-states-fake-engagement": (
        "violation",
        "Acceptable Use Policy, Fraud and deception",
        (
            "propagation of spam, fraudulent activities such as catfishing, phishing, or generation of false reviews;",
        ),
    ),
    "purpose-states-fraud": (
        "violation",
        "Acceptable Use Policy, Fraud and deception",
        (
            "propagation of spam, fraudulent activities such as catfishing, phishing, or generation of false reviews;",
        ),
    ),
    "purpose-states-forgery": ("violation", "Acceptable Use Policy, Fraud and deception", C_FRAUD),
    "purpose-states-impersonation": ("violation", "Acceptable Use Policy, Fraud and deception", C_FRAUD),
    "purpose-states-passing-off": ("violation", "Acceptable Use Policy, Fraud and deception", C_FRAUD),
    "purpose-states-intimate-fabrication": (
        "violation",
        "Acceptable Use Policy, Fraud and deception",
        (
            "creation or promotion of false representations of or defamatory content about real people, such as deepfakes; or",
        ),
    ),
    "purpose-states-defamation": (
        "violation",
        "Acceptable Use Policy, Fraud and deception",
        (
            "creation or promotion of false representations of or defamatory content about real people, such as deepfakes; or",
        ),
    ),
    "purpose-states-disinformation": (
        "violation",
        "Acceptable Use Policy, Fraud and deception",
        ("creation or promotion of intentionally false claims or misinformation.",),
    ),
    "purpose-states-malware": (
        "violation",
        "Acceptable Use Policy (applicable law)",
        (
            "We expect users of our models or model derivatives to comply with all applicable local and international laws and regulations.",
        ),
    ),
    "purpose-states-weapons": ("review", "Acceptable Use Policy, Violence and harm", C_VIOLENCE),
}

NVIDIA = Pack(
    "nvidia-open-model",
    "NVIDIA-OML",
    ("nvidia-open-model.txt",),
    "https://github.com/NVlabs/GR00T-WholeBodyControl/blob/1983e88888217f6c69283cf3a9d1af01e87f07af/decoupled_wbc/sim2mujoco/resources/robots/g1/policy/NVIDIA%20Open%20Model%20License",
    "P",
)
NVIDIA_CARRY: dict[str, Carry] = {
    "purpose-states-circumvention": (
        "violation",
        "§2.1",
        (
            "circumvent any technical limitation, safety guardrail or associated safety guardrail hyperparameter, encryption, security, digital rights management, or authentication mechanism (collectively “Guardrail”) contained in the Model without a substantially similar Guardrail appropriate for your use case, your rights under this Agreement will automatically terminate.",
        ),
    ),
}

# Rule-specific confidence and source where a clause comes from another document than the pack's policy.
OVERRIDES: dict[tuple[str, str], dict[str, str]] = {
    ("anthropic-terms", "purpose-states-commercial-synthetic-data"): {
        "confidence": "S",
        "source": "https://www.anthropic.com/legal/commercial-terms",
    },
    ("openai-terms", "purpose-states-passing-off"): {"source": "https://openai.com/policies/terms-of-use/"},
    ("gemini-api-terms", "purpose-states-medical-advice"): {
        "source": "https://ai.google.dev/gemini-api/terms"
    },
}

FAMILIES: list[tuple[Pack, dict[str, Carry]]] = [
    *[
        (
            p,
            {
                **LLAMA_CARRY,
                **(
                    {"purpose-states-circumvention": LLAMA_CIRCUMVENT}
                    if p.pack in LLAMA_WITH_CIRCUMVENTION
                    else {}
                ),
            },
        )
        for p in LLAMA
    ],
    (GEMMA, GEMMA_CARRY),
    (GEMINI, GEMINI_CARRY),
    (OPENAI, OPENAI_CARRY),
    (ANTHROPIC, ANTHROPIC_CARRY),
    (BLOOM, BLOOM_CARRY),
    (OPENRAILM, OPENRAILM_CARRY),
    (CREATIVEML, CREATIVEML_CARRY),
    (OPENRAILPP, OPENRAILPP_CARRY),
    (STABILITY, STABILITY_CARRY),
    (DEEPSEEK, DEEPSEEK_CARRY),
    (COHERE, COHERE_CARRY),
    (NVIDIA, NVIDIA_CARRY),
]
# RAIL (g) and Stability's impersonation item: impersonation needs no deceptive aim there.
IMPERSONATION_ANY_PACKS = {"bigscience-bloom-rail-1.0", "bigscience-openrail-m", "stabilityai-community"}
CATEGORY = {"nvidia-open-model": "license"}


class Hint(NamedTuple):
    """A -TEXT review rule: a weaker hint than a plain statement (existing ids keep their clause)."""

    suffix: str
    condition: str
    title: str
    what: str
    fires: str
    quiet: str


# Hints that packs name differently but test alike: the same samples (and mostly the same words).
_AUTOMATED = Hint(
    "AUTOMATED-DECISIONS-TEXT",
    "purpose-suggests-automated-decision",
    "Automated decisions about people without a stated human decision (purpose text)",
    "automated decisions about people's credit, jobs, housing or benefits, with no person said to decide",
    "Automate loan approvals and credit scoring for consumer lending.",
    "Summarise each loan application for our underwriters, who approve or decline it themselves.",
)
_SURVEILLANCE = Hint(
    "SURVEILLANCE-TEXT",
    "purpose-suggests-profiling-or-monitoring",
    "Monitoring, biometric identification or profiling of people (purpose text)",
    "monitoring, identifying or profiling people with nothing said about their consent",
    "Match shoppers against a watch list with facial recognition.",
    "Monitor our own servers for intrusion attempts and alert the on-call engineer.",
)
_DECEPTION = Hint(
    "DECEPTION-TEXT",
    "purpose-suggests-deception",
    "Deepfakes, voice clones, impersonation or disinformation (purpose text)",
    "deepfakes, voice clones, impersonation or disinformation with no consent or protective context",
    "Produce voice cloning and deepfake videos of celebrities for ads.",
    "Narrate audiobooks in the voices of actors who licensed their voices to us under contract.",
)
_CIRCUMVENTION = Hint(
    "CIRCUMVENT-SAFETY-TEXT",
    "purpose-suggests-circumvention",
    "A model's guardrails, filters or refusals (purpose text)",
    "a model's guardrails, filters or refusals, without stating their removal or an evaluation",
    "Fine-tune the model to give unrestricted answers.",
    "Red-team our own deployment to measure how robust its safety filters are.",
)

HINTS = {
    h.suffix: h
    for h in [
        Hint(
            "MILITARY-TEXT",
            "purpose-suggests-military",
            "A sector next to military use (purpose text)",
            "a sector next to military use (defence contractors, nuclear industry, export-controlled items)",
            "Write proposal documents for a defence contractor's new radar programme.",
            "Help veterans translate their military experience into civilian CVs.",
        ),
        Hint(
            "WEAPONS-TEXT",
            "purpose-suggests-weapons",
            "Weapons named with no act and no lawful context (purpose text)",
            "weapons, without saying what is done with them or naming a lawful or protective context",
            "A sales assistant for our online gun shop.",
            "Museum audio guide describing the rifles and cannons on display in our Civil War gallery.",
        ),
        Hint(
            "CRITICAL-INFRASTRUCTURE-TEXT",
            "purpose-suggests-infrastructure",
            "Critical infrastructure or heavy machinery (purpose text)",
            "critical infrastructure, transport systems or heavy machinery, without saying that people operate it",
            "Optimise load balancing on the regional power grid.",
            "Help a utility's engineers write incident reports after power grid outages.",
        ),
        Hint(
            "UNLICENSED-PRACTICE-TEXT",
            "purpose-suggests-professional-advice",
            "Professional advice with no professional named (purpose text)",
            "medical, legal or financial advice without naming the professional involved",
            "Give patients a diagnosis and medical advice from their symptoms.",
            "Help nurses explain insulin pen technique to patients; doctors set every dose.",
        ),
        _AUTOMATED._replace(
            suffix="DISCRIMINATION-TEXT",
            condition="purpose-suggests-decisions-without-human",
            title="Decisions about people's credit, jobs or housing without a stated human decision (purpose text)",
        ),
        _AUTOMATED,
        _SURVEILLANCE,
        _SURVEILLANCE._replace(
            suffix="TRACKING-TEXT",
            condition="purpose-suggests-monitoring",
            title="Monitoring or tracking people (purpose text)",
            what="monitoring or tracking people with nothing said about their consent",
        ),
        _DECEPTION,
        _DECEPTION._replace(
            suffix="IMPERSONATION-TEXT", title="Deepfakes, voice clones or impersonation (purpose text)"
        ),
        _DECEPTION._replace(suffix="DEEPFAKES-TEXT", title="Deepfakes or impersonation (purpose text)"),
        Hint(
            "MINORS-TEXT",
            "purpose-suggests-minors-risk",
            "Minors in images, dating or private contact (purpose text)",
            "minors in images of their bodies, dating or private contact, with no protective context",
            "Share swimsuit photos of children from our swim school on social media.",
            "Answer parents' questions about our after-school programme for children aged 8 to 12.",
        ),
        Hint(
            "AGE-18-TEXT",
            "purpose-suggests-minor-audience",
            "A service offered to under-18s (purpose text)",
            "a service offered to children or teenagers themselves",
            "A homework helper for kids aged 8 to 12.",
            "Answer parents' questions about our after-school programme for children aged 8 to 12.",
        ),
        Hint(
            "MEDICAL-ADVICE-TEXT",
            "purpose-suggests-medical-advice",
            "Health questions, symptoms or results (purpose text)",
            "health questions, symptoms or test results, without stating a non-advisory use",
            "A symptom checker app for adults.",
            "Answer pharmacy customers' questions about opening hours and prescription pick-up.",
        ),
        Hint(
            "LAW-ENFORCEMENT-TEXT",
            "purpose-suggests-justice",
            "Information for policing, justice, immigration or asylum (purpose text)",
            "information for policing, justice, immigration or asylum processes",
            "Summarise police reports for detectives.",
            "Explain how bail hearings work for a law school's public outreach page.",
        ),
        Hint(
            "PERSONAL-DATA-TEXT",
            "purpose-suggests-personal-data",
            "Looking up or compiling people's personal data (purpose text)",
            "looking up or compiling people's personal data with no lawful handling stated",
            "Find the home address of a judge who ruled against me.",
            "Redact phone numbers and home addresses from documents before we publish court records.",
        ),
        Hint(
            "FALSE-INFORMATION-TEXT",
            "purpose-suggests-falsehood",
            "False or invented content (purpose text)",
            "false or invented content, with no protective or labelled-fiction context",
            "Write rumours about a rival band for our fan page.",
            "Write a parody newsletter clearly labelled as satire about a fictional tech mogul.",
        ),
        Hint(
            "SEXUAL-CONTENT-TEXT",
            "purpose-suggests-sexual-content",
            "Nudity or adult content (purpose text)",
            "nudity or adult content, without stating explicit generation or a benign context",
            "Generate nude figure drawings for our art school.",
            "Sex education answers for adults about contraception and sexual health, reviewed by nurses.",
        ),
        Hint(
            "AUTO-PUBLISHING-TEXT",
            "purpose-suggests-automatic-publishing",
            "Journalistic content published automatically (purpose text)",
            "news or articles generated and published automatically, with no editor said to review them",
            "Generate local news articles from press releases and publish them automatically every hour.",
            "Draft news articles that our editors review and publish.",
        ),
        _CIRCUMVENTION,
        _CIRCUMVENTION._replace(suffix="GUARDRAIL-TEXT"),
    ]
}
# New -TEXT hints for the closed-API terms (ids are new; the clause is the high-risk requirement).
NEW_HINTS: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "openai-terms": [
        (
            "AUTOMATED-DECISIONS-TEXT",
            "Usage Policies (2025-10-29), Empower people",
            ("automation of high-stakes decisions in sensitive areas without human review",),
        ),
        (
            "UNLICENSED-PRACTICE-TEXT",
            "Usage Policies (2025-10-29), Protect people",
            (
                "provision of tailored advice that requires a license, such as legal or medical advice, without appropriate involvement by a licensed professional",
            ),
        ),
    ],
    "anthropic-terms": [
        (
            "AUTOMATED-DECISIONS-TEXT",
            "Usage Policy, High-Risk Use Case Requirements (Human-in-the-loop)",
            A_HITL,
        ),
        (
            "UNLICENSED-PRACTICE-TEXT",
            "Usage Policy, High-Risk Use Case Requirements (Human-in-the-loop)",
            A_HITL,
        ),
        (
            "AUTO-PUBLISHING-TEXT",
            "Usage Policy, High-Risk Use Cases (Media or professional journalistic content)",
            (
                "Media or professional journalistic content: Use cases related to using our products or services to automatically generate content and publish it for external consumption",
            ),
        ),
    ],
}


# ------------------------------------------------------------------------------ writing


def collapse(text: str) -> str:
    return " ".join(text.split())


class Texts:
    """The verbatim reference texts (header stripped, whitespace collapsed)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.cache: dict[str, str] = {}

    def body(self, name: str) -> str:
        if name not in self.cache:
            raw = (self.folder / name).read_text(encoding="utf-8")
            self.cache[name] = collapse(raw.split("\n---\n", 1)[-1])
        return self.cache[name]

    def quote(self, pack: Pack, candidates: tuple[str, ...]) -> str:
        for candidate in candidates:
            for name in pack.names or ("",):
                text = collapse(candidate.replace("{name}", name))
                if len(text) <= 400 and any(text in self.body(t) for t in pack.texts):
                    return text
        raise SystemExit(
            f"{pack.pack}: no quote found verbatim in {', '.join(pack.texts)}: {candidates[0][:80]}"
        )


def q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def folded(key: str, text: str, indent: int = 4) -> list[str]:
    pad = " " * indent
    return [
        f"{pad}{key}: >-",
        *textwrap.wrap(text, 110 - indent - 2, initial_indent=pad + "  ", subsequent_indent=pad + "  "),
    ]


def policy_name(pack: Pack) -> str:
    names = {
        "gemma": "the Gemma Prohibited Use Policy",
        "gemini-api-terms": "Google's Generative AI Prohibited Use Policy",
        "openai-terms": "OpenAI's Usage Policies",
        "anthropic-terms": "Anthropic's Usage Policy",
        "bigscience-bloom-rail-1.0": "the BigScience RAIL License",
        "bigscience-openrail-m": "the BigScience OpenRAIL-M License",
        "creativeml-openrail-m": "the CreativeML OpenRAIL-M License",
        "openrail++": "the CreativeML Open RAIL++-M License",
        "stabilityai-community": "Stability AI's Acceptable Use Policy",
        "deepseek": "the DeepSeek License Agreement",
        "c4ai-cc-by-nc": "Cohere's Acceptable Use Policy",
        "nvidia-open-model": "the NVIDIA Open Model License",
    }
    return names.get(pack.pack, f"the {pack.names[0] if pack.names else pack.pack} Acceptable Use Policy")


REVIEW_WHY = {
    "anthropic-terms": "only the heading of that standard is in the reference text (its list of prohibited uses was not read), so legal must check the use against it",
    "openai-terms": "the policy allows it only with OpenAI's review and approval, or the clause comes from the superseded 2023 Terms of Use",
}


def plain_id(pack: Pack, sig: Sig) -> str:
    name = "GUARDRAIL" if pack.pack == "nvidia-open-model" else sig.rule
    return f"{pack.prefix}-{name}-TEXT-PLAIN"


def plain_rule(pack: Pack, condition: str, carry: Carry, texts: Texts) -> list[str]:
    outcome, clause, candidates = carry
    sig = SIGS[condition]
    extra = OVERRIDES.get((pack.pack, condition), {})
    confidence = extra.get("confidence", pack.confidence)
    quote = texts.quote(pack, candidates)
    rule_id = plain_id(pack, sig)
    when = f"{{use: {condition}}}"
    if condition == "purpose-states-impersonation" and pack.pack in IMPERSONATION_ANY_PACKS:
        when = f"{{any: [{{use: {condition}}}, {{use: {IMPERSONATION_ANY}}}]}}"
    if outcome == "violation":
        said = f"{clause} of {policy_name(pack)} forbids it."
        remedy = "Do not use the model for this. If the purpose is misread (the act is not done, or the people concerned consented), reword the purpose to say so."
    else:
        why = REVIEW_WHY.get(pack.pack, "whether the clause covers this use needs a judgement")
        said = f"{clause} of {policy_name(pack)} may forbid it, but {why}."
        remedy = "Have legal read the purpose against the clause and record the decision as a waiver, or do not use the model for this."
    lines = [
        f"  - id: {rule_id}",
        f"    title: {q(sig.title + ' (stated in the purpose)')}",
        f"    category: {CATEGORY.get(pack.pack, 'acceptable-use')}",
        f"    outcome: {outcome}",
        f"    severity: {'error' if outcome == 'violation' else 'warning'}",
        f"    confidence: {confidence}",
        f"    clause: {q(clause)}",
        f"    source: {extra.get('source', pack.source)}",
        f"    quote: {q(quote)}",
        f"    when: {when}",
        *folded(
            "message",
            f"The stated purpose describes {sig.what} (the matched words are in the evidence); {said}",
        ),
        *folded("remedy", remedy),
        "    on_missing: ignore",
    ]
    return lines


def hint_rule(pack_id: str, rule_id: str, hint: Hint, meta: dict[str, str], quote: str | None) -> list[str]:
    when = f"{{use: {hint.condition}}}"
    if hint.condition == "purpose-suggests-deception" and pack_id in IMPERSONATION_ANY_PACKS:
        when = f"{{all: [{when}, {{not: {{use: {IMPERSONATION_ANY}}}}}]}}"
    lines = [
        f"  - id: {rule_id}",
        f"    title: {q(meta.get('title') or hint.title)}",
        f"    category: {meta.get('category', 'acceptable-use')}",
        "    outcome: review",
        "    severity: warning",
        f"    confidence: {meta['confidence']}",
        f"    clause: {q(meta['clause'])}",
    ]
    if meta.get("source"):
        lines.append(f"    source: {meta['source']}")
    if quote:
        lines.append(f"    quote: {q(quote)}")
    lines += [
        f"    when: {when}",
        *folded(
            "message",
            f"The stated purpose mentions {hint.what} (the matched words are in the evidence); "
            f"that is not a statement of the prohibited act ({meta['clause']}), so a person must decide.",
        ),
        *folded(
            "remedy",
            "Read the purpose against the clause; if the use is not the prohibited one, say so in the "
            "purpose or record legal's approval as a waiver, otherwise do not use the model for it.",
        ),
        "    on_missing: ignore",
    ]
    return lines


def existing_rules(path: Path) -> dict[str, dict[str, str]]:
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {r["id"]: r for r in data.get("rules", [])}


def without_block(text: str) -> str:
    """The text without its marker block (the lines between BEGIN and END, both included)."""
    if BEGIN not in text:
        return text
    start = text.index(BEGIN)
    end = text.index(END, start) + len(END)
    return text[:start].rstrip("\n") + "\n" + text[end:].lstrip("\n")


def with_block(text: str, gap: str, lines: list[str]) -> str:
    """The text with a marker block holding `lines` at its end, after `gap`."""
    block = [BEGIN + " (scripts/aup_text_rules.py writes this block)", *lines, END]
    return text.rstrip("\n") + gap + "\n".join(block) + "\n"


def strip_old_text_rules(text: str) -> str:
    """Remove the marker block and any -TEXT rule written outside it (with its leading comments)."""
    lines = without_block(text).split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if re.match(r"  - id: [A-Z0-9-]+-TEXT(-PLAIN)?$", lines[i]):
            while out and (out[-1].startswith("  #") or not out[-1].strip()):
                out.pop()
            i += 1
            while (
                i < len(lines)
                and not lines[i].startswith("  - id:")
                and not lines[i].startswith("  #")
                and lines[i].strip()
            ):
                i += 1
            while i < len(lines) and not lines[i].strip():
                i += 1
            # comments that belong to the next rule stay
            out.append("")
            continue
        out.append(lines[i])
        i += 1
    return "\n".join(out).rstrip("\n") + "\n"


def strip_old_text_cases(text: str) -> str:
    """Remove the marker block and any case written for a -TEXT rule outside it."""
    blocks = re.split(r"(?m)^(?=  - name:)", without_block(text))
    kept = [blocks[0]]
    for block in blocks[1:]:
        name = block.split("\n", 1)[0]
        if "(purpose text)" in name or "near miss, no text signature fires" in name:
            continue
        kept.append(block)
    return "".join(kept).rstrip("\n") + "\n"


NEAR_MISSES = [
    "Customer support for a weapons-free zone; track orders and refunds.",
    "Track orders and shipments; marketing expects explosive growth in sales.",
    "Engine diagnostics and parts lookup for fleet vehicles, with child-safe content filters.",
    "Answer questions about credit card refunds and our privacy policy; summarise policies for staff.",
    "Step-by-step instructions for making bath bombs for our craft shop's workshop.",
    "Count people in the station square from live camera images for safety planning, without identifying anyone.",
    "Help our staff protect their home addresses from doxing.",
    "Help HR investigate harassment complaints from employees.",
]


def case(name: str, purpose: str, key: str, ids: list[str]) -> list[str]:
    return [
        f"  - name: {q(name)}",
        f"    usecase: {{use: {{purpose: {q(purpose)}}}}}",
        f"    {key}: [{', '.join(ids)}]",
    ]


class Built(NamedTuple):
    rules: list[str]
    cases: list[str]
    checks: list[tuple[str, str, bool]]  # (condition, purpose, should hold)


def build(pack: Pack, carries: dict[str, Carry], texts: Texts, old: dict[str, dict[str, str]]) -> Built:
    rules: list[str] = []
    cases: list[str] = []
    checks: list[tuple[str, str, bool]] = []
    all_ids: list[str] = []
    for condition in sorted(carries, key=lambda c: SIGS[c].rule):
        sig = SIGS[condition]
        rules += plain_rule(pack, condition, carries[condition], texts) + [""]
        rule_id = plain_id(pack, sig)
        all_ids.append(rule_id)
        cases += case(f"text signature, stated: {sig.fires}", sig.fires, "fires", [rule_id])
        cases += case(f"text signature, look-alike: {sig.quiet}", sig.quiet, "not_fires", [rule_id])
        checks += [(condition, sig.fires, True), (condition, sig.quiet, False)]
    hints = {rid: r for rid, r in old.items() if rid.endswith("-TEXT")}
    for suffix, clause, candidates in NEW_HINTS.get(pack.pack, []):
        hints[f"{pack.prefix}-{suffix}"] = {
            "clause": clause,
            "confidence": pack.confidence,
            "source": pack.source,
            "_quote": candidates,
        }
    for rule_id, meta in sorted(hints.items()):
        suffix = next(
            s
            for s in sorted(HINTS, key=len, reverse=True)
            if rule_id.endswith("-" + s) or rule_id.endswith(s)
        )
        hint = HINTS[suffix]
        quote = texts.quote(pack, meta["_quote"]) if "_quote" in meta else None
        meta = {k: v for k, v in meta.items() if k in ("title", "category", "confidence", "clause", "source")}
        if pack.source:  # the policy's address, also for the hints of a pack that had an older one
            meta["source"] = pack.source
        rules += hint_rule(pack.pack, rule_id, hint, meta, quote) + [""]
        all_ids.append(rule_id)
        fires = hint.fires
        if hint.condition == "purpose-suggests-deception" and pack.pack in IMPERSONATION_ANY_PACKS:
            fires = "Make a voice clone of our founder for internal training videos."
        cases += case(f"text hint: {fires}", fires, "fires", [rule_id])
        cases += case(f"text hint, look-alike: {hint.quiet}", hint.quiet, "not_fires", [rule_id])
        checks += [(hint.condition, fires, True), (hint.condition, hint.quiet, False)]
    for purpose in NEAR_MISSES:
        cases += case(f"no text signature fires: {purpose}", purpose, "not_fires", all_ids)
    return Built(rules, cases, checks)


def library_check(checks: list[tuple[str, str, bool]]) -> list[str]:
    """Evaluate each test purpose against the library condition directly, so a wrong sample fails here."""
    sys.path.insert(0, str(ROOT))
    from licensecheck.conditions import Lookup, compile_condition, evaluate
    from licensecheck.library import Library, load_file

    lib = Library(
        [load_file(str(p), str(p), str(p)) for p in sorted((ROOT / "rules" / "lib").glob("*.yaml"))]
    )
    problems = []
    compiled: dict[str, object] = {}
    for condition, purpose, want in checks:
        if condition not in compiled:
            compiled[condition] = compile_condition(lib.expansion(condition), lambda fact: True)
        got = (
            evaluate(
                compiled[condition], Lookup(lambda path, p=purpose: p if path == "use.purpose" else None)
            )
            is True
        )  # type: ignore[arg-type]
        if got != want:
            problems.append(f"{condition} {'does not hold' if want else 'holds'} on: {purpose}")
    return sorted(set(problems))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", required=True, type=Path)
    parser.add_argument("--check", action="store_true", help="exit 1 if a pack or test file would change")
    args = parser.parse_args()
    texts = Texts(args.texts)
    stale, checks = [], []
    packs_done = set()
    for pack, carries in FAMILIES:
        packs_done.add(pack.pack)
        stale += write(pack, carries, texts, args.check, checks)
    for path in sorted(PACKS.glob("*.yaml")):  # packs with only -TEXT hints (falcon-180b)
        if path.name.endswith(".tests.yaml") or path.stem in packs_done:
            continue
        if any(rid.endswith("-TEXT") for rid in existing_rules(path)):
            stale += write(Pack(path.stem, "", (), "", "P"), {}, texts, args.check, checks)
    problems = library_check(checks)
    for problem in problems:
        print(f"error: {problem}")
    for name in stale:
        print(f"{'stale' if args.check else 'wrote'}: {name}")
    return 1 if problems or (args.check and stale) else 0


def write(pack: Pack, carries: dict[str, Carry], texts: Texts, check: bool, checks: list) -> list[str]:
    path = PACKS / f"{pack.pack}.yaml"
    tests = PACKS / f"{pack.pack}.tests.yaml"
    old = existing_rules(path)
    built = build(pack, carries, texts, old)
    checks += built.checks
    rules_text = with_block(strip_old_text_rules(path.read_text(encoding="utf-8")), "\n\n", built.rules[:-1])
    cases_text = with_block(strip_old_text_cases(tests.read_text(encoding="utf-8")), "\n", built.cases)
    changed = []
    for file, new in ((path, rules_text), (tests, cases_text)):
        if file.read_text(encoding="utf-8") != new:
            changed.append(str(file.relative_to(ROOT)))
            if not check:
                file.write_text(new, encoding="utf-8")
    return changed


if __name__ == "__main__":
    sys.exit(main())
