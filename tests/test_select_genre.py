"""Genre: hard news told apart from opinion, analysis, features and soft news."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from digest.model import Article
from digest.select.genre import GenreCall, classify_genre, running_page, soft_story

WHEN = datetime(2023, 6, 24, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("title", "url", "genre"),
    [
        ("The 'naked' warrior who helped British capture India",
         "https://www.bbc.com/news/world-asia-india-65785171", "feature"),
        ("Man who stabbed two in Paris charged with murder",
         "https://news.example/world/2023/stabbing", "news"),
        ("Opinion: The summit nobody needed", "https://news.example/world/x", "opinion"),
        ("What we know about the Titan submersible", "https://news.example/world/y",
         "analysis"),
        ("ICC issues arrest warrant for Putin", "https://news.example/world/z", "news"),
        # A host of its own desk says what a path part would; the name itself not.
        ("Host tears up on live TV after death of legend",
         "https://au.lifestyle.example.com/host-tears-up-123.html", "soft"),
        ("Minister resigns over expenses", "https://www.lifestyle.com/news/minister-resigns",
         "news"),
        ("Minister resigns over expenses", "https://www.lifestyle.com.au/news/resigns", "news"),
        # What an event does to someone's standing is analysis, a test of a missile not.
        ("War in Israel tests Biden's foreign policy case for 2024",
         "https://news.example/politics/war-tests-biden", "analysis"),
        ("North Korea tests new missile over Sea of Japan",
         "https://news.example/world/nk-missile", "news"),
        # ... by the public suffix list, not a guess at second levels.
        ("Minister resigns over expenses", "https://www.lifestyle.ne.jp/news/resigns", "news"),
        # What an event is read to show is analysis; an obituaries desk files features;
        # someone's private life is gossip, whoever it is.
        ("Floods: tunnel horror brings home climate fears", "https://news.example/world/f",
         "analysis"),
        ("What's going on with the governor's takeover of the district",
         "https://news.example/politics/g", "analysis"),
        ("Singer and actress dies at 76", "https://paper.example/obituaries/2023/07/16/x/",
         "feature"),
        ("Media mogul calls off engagement after two weeks", "https://news.example/world/m",
         "soft"),
        ("Actors reportedly divorcing after seven years", "https://news.example/world/d",
         "soft"),
        ("Star welcomes first child with husband", "https://news.example/world/c", "soft"),
        ("Soldiers' bodies brought home from the front", "https://news.example/world/b",
         "news"),
        # A viewing guide serves the reader; a report of the sky's show does not.
        ("Lyrid meteor shower peaks this weekend. How to see it in Northern California",
         "https://tv.example/article/lyrid-meteor-shower/43668307", "soft"),
        ("Lyrid meteor shower: When and where you can watch it this weekend",
         "https://news.example/story/lyrids-12862720", "soft"),
        ("Supermoon rises tonight, and here's when to see it", "https://news.example/world/w",
         "soft"),
        ("Thousands watch meteor shower light up the sky over the desert",
         "https://news.example/world/s", "news"),
        # Inside a report's sentence the words are someone's deed, not a guide.
        ("Police reveal how to catch scammers targeting pensioners",
         "https://news.example/world/p", "news"),
        ("Ministers weigh where to view the asylum claims of children",
         "https://news.example/world/m", "news"),
    ],
)  # fmt: skip
def test_headline_forms_and_paths_name_the_genre(title: str, url: str, genre: str) -> None:
    call = classify_genre(Article(id="x", url=url, title=title, published_at=WHEN))
    assert call.genre == genre, call.reason


def test_a_story_half_filed_under_a_soft_desk_is_soft() -> None:
    def call(url: str) -> GenreCall:
        title = "Conductor withdraws from show after slapping singer"
        return classify_genre(Article(id=url, url=url, title=title, published_at=WHEN))

    music = call("https://news.example/music/2023/conductor-withdraws")
    plain = call("https://paper.example/article/conductor-withdraws-xc5t3")
    assert plain.hard and music.filed and not plain.filed
    found = soft_story([plain, music])
    assert found is not None and found.genre == "soft" and "1 of 2" in found.reason
    # One report filed under a soft desk among three is the story's side angle.
    assert soft_story([plain, music, plain]) is None
    # A headline's form says nothing of the topic: an explainer does not make it soft.
    explainer = classify_genre(
        Article(id="q", url="https://news.example/world/q", title="What we know", published_at=WHEN)
    )
    assert soft_story([plain, explainer]) is None


def test_a_story_most_of_whose_reports_are_features_or_analysis_is_not_news() -> None:
    def call(title: str, n: int) -> GenreCall:
        url = f"https://n{n}.example/world/{n}"
        return classify_genre(Article(id=url, url=url, title=title, published_at=WHEN))

    plain = call("'Voice of the oppressed': jailed activist speaks out from prison", 0)
    who = call("Who is Narges Mohammadi, the jailed Nobel laureate?", 1)
    husband = call("Laureate's husband speaks of her dedication to human rights", 2)
    assert plain.hard and not who.hard and not husband.hard
    found = soft_story([plain, who, husband])
    assert found is not None and found.genre in ("analysis", "feature")
    assert "2 of 3 reports are not news" in found.reason
    # Half is not most: one report told as news and one explainer stay news.
    assert soft_story([plain, who]) is None


@pytest.mark.parametrize(
    ("title", "running"),
    [
        ("Israel-Hamas war rages as crisis deepens: Live updates", True),
        ("Israel-Hamas war: List of key events, day 12", True),
        ("Europe heatwave – live: Holidaymakers evacuated", True),
        ("Israel conflict latest: Hospital explosion caused by misfired rocket", True),
        ("Families live in fear as floods rise", False),
        ("The latest phone is here", False),
        # "live" as a verb, before a colon or at the end, is no running page.
        ("CLARE RUNACRES thought she had just months to live: 'I spent both'", False),
        ("The Gaza families with nowhere left to live", False),
        ("Hamas tunnels run under the homes where they live", False),
        # A page's name ending in "updates" after a dash or a bar; not the verb.
        ("Oxygen on missing submarine expected to be running low - updates", True),
        ("Sydney storm | updates", True),
        ("Retailer updates its profit guidance", False),
        ("Storm updates", False),
    ],
)
def test_a_running_pages_headline_is_told_from_a_reports(title: str, running: bool) -> None:
    assert running_page(title) is running


def assert_genre(title: str, genre: str) -> None:
    """A world desk's item of this headline is called ``genre`` (the call's reason
    shown when it is not)."""
    article = Article(id="a", url="https://news.example/world/a", title=title, published_at=WHEN)
    call = classify_genre(article)
    assert call.genre == genre, call.reason


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        # Telling the US something is news ...
        ("Zelensky tells US lawmakers Ukraine needs more air defence", "news"),
        ("Netanyahu tells US: Israel will not agree to a ceasefire", "news"),
        # ... what evidence or data tells us is analysis.
        ("Gaza hospital: What video, pictures and other evidence tell us about the blast",
         "analysis"),
        ("What the data tells us about the heat", "analysis"),
    ],
)  # fmt: skip
def test_telling_the_us_is_news_what_evidence_tells_us_is_analysis(title: str, genre: str) -> None:
    assert_genre(title, genre)


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        # The dead who are not: an oddity, however many outlets tell it.
        ("'Dead' woman found breathing in coffin at own funeral", "soft"),
        ("Woman pronounced dead in Ecuador starts knocking on coffin during wake", "soft"),
        ("Man declared dead by doctors wakes up in hospital morgue", "soft"),
        # Declared dead, or a quoted 'dead', in a report is the report's word.
        ("Climber declared dead after fall on Ben Nevis", "news"),
        ("Teen texts 'dead' to mate before vanishing into bush", "news"),
        # The dead found alive where war or disaster left them is news.
        ("Hostage declared dead by Israel found alive in Gaza", "news"),
        ("Soldier declared dead found alive in Russian prison camp", "news"),
        ("'Dead' man found alive in his coffin at own wake", "soft"),
        # Who caught the eye at an occasion is its gossip; a theft from a show is not.
        ("Prince Louis steals the show at the coronation", "soft"),
        ("Penny Mordaunt stole the spotlight with enormous sword", "soft"),
        ("Thieves steal the show's costumes from Paris theatre", "news"),
        # An event explained by its cause or read against its era is analysis.
        ("Vermont flooding worsened by climate change, increasing rain", "analysis"),
        ("Floods test Vermont's quaint mountain towns in age of climate change", "analysis"),
        ("In an era of Uber, Netflix and apathy, the coronation was superb and absurd",
         "analysis"),
        ("Floods driven by heavy rain kill 12 in northern Italy", "news"),
        # A cause named on the way to what happened is the report's.
        ("Canada wildfires fuelled by climate change force 30,000 to flee", "news"),
        ("Heatwave made more likely by climate change, scientists say", "analysis"),
        ("Climate change plan will leave UK unprepared, advisers warn", "news"),
        ("Pope warns of dangers in the age of artificial intelligence", "news"),
        # A question of succession asked for a country is a reading of the moment; a
        # speaker asking whether something is so is news.
        ("Italy mourns and asks who will succeed Berlusconi", "analysis"),
        ("Party members wonder who could replace the outgoing leader", "analysis"),
        ("Suella Braverman asks if UN refugee rules are fit for modern age", "news"),
        ("Berlusconi's party names who will lead it after his death", "news"),
        # Filling posts or following rules is not coming after someone.
        ("Minister asks who can fill 100,000 care vacancies", "news"),
        ("Ministers wonder who will follow the new asylum rules", "news"),
        ("Spain wonders who can fill his shoes as Nadal retires", "analysis"),
        ("Labour asks who could follow her as deputy leader", "analysis"),
        # Naming or choosing a successor is the news itself.
        ("Conservatives name Sunak to succeed Truss as leader", "news"),
        ("Who will replace the Pope? Cardinals gather in Rome", "news"),
        ("Party to choose who will lead it after resignation", "news"),
        # Whom someone descends from is a feature's angle; descendants who act are news.
        ("Missing explorer's wife is descended from shipwreck victims", "feature"),
        ("Senator was a direct descendant of a Confederate general", "feature"),
        ("Descendants of enslaved people sue university over its past", "news"),
        ("Rebels descended from the hills on the capital overnight", "news"),
        # A television show's news is showbiz, whichever desk files it; a country's
        # talent or a factor is not a show.
        ("MasterChef to return to air after judge's sudden death", "soft"),
        ("Britain's Got Talent judge quits ahead of the live final", "soft"),
        ("Minister says country has got talent to lead on AI", "news"),
        ("Inflation is the x factor in the rate decision, bank says", "news"),
        # A degree or a stag party is no dating show.
        ("Students who finish the bachelor's degree will pay less, minister says", "news"),
        ("Groom shot dead at the bachelor party in Texas", "news"),
        ("The Bachelor's lead announces engagement", "soft"),
    ],
)  # fmt: skip
def test_oddities_gossip_and_events_read_for_their_cause(title: str, genre: str) -> None:
    assert_genre(title, genre)


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        # A guide to what is coming or what it means, with no marker in the address.
        ("What to expect as the king is crowned: key timings", "analysis"),
        ("What the coup could mean for the war in Ukraine", "analysis"),
        ("Sudan crisis: Three ways the conflict could play out", "analysis"),
        ("State budget 2023: Winners and losers", "analysis"),
        ("New Covid shots: Five things to know after the approval", "analysis"),
        ("Studio feud: timeline of events", "analysis"),
        ("Autumn statement: key announcements at a glance", "analysis"),
        ("The inquiry is about to report. Here's a recap of four years", "analysis"),
        ("Submarine hull used materials that 'simply didn't work': expert", "analysis"),
        ("Navy heard an implosion. Experts explain how it can happen", "analysis"),
        # The human side of the news: pictures, a reporter inside, a profile, stories.
        ("Libya floods: before and after satellite images reveal the scale", "feature"),
        ("Ukraine offensive: BBC goes inside village freed from Russian forces", "feature"),
        ("Coup leader General Ali: The ex-peacekeeper who seized power", "feature"),
        ("Festival massacre: soldiers patrol the site as survivors tell their stories", "feature"),
        ("Tourist caught up in earthquake relives terrifying night", "feature"),
        ("'We shed many tears': a day in the life of a nurse", "feature"),
        ("Shot at while they drowned. Executed in the desert. Survivors speak", "feature"),
        # Where to look at the sky is a viewing guide.
        ("Solar eclipse Saturday: Where to look for it in Atlanta", "soft"),
        # Reports that share the words stay news.
        ("Minister says his plan means jobs for the north", "news"),
        ("Three killed in crash of bus heading to St. Louis. Driver held", "news"),
        ("Gov. Healey declares emergency in flooded towns", "news"),
        ("Election recount ordered in marginal seat", "news"),
        ("Police search for where to look for missing climber", "news"),
        ("Whooping cough outbreak 'well overdue', experts say", "news"),
        ("Court sets timeline for Trump trial", "news"),
        ("Ministers expect inflation to fall", "news"),
    ],
)  # fmt: skip
def test_explainer_and_feature_forms_with_no_marker_are_not_news(title: str, genre: str) -> None:
    assert_genre(title, genre)


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        # A hyphen inside a word is no dash before a byline-like "expert" or "analyst".
        ("Man charged over death of bomb-disposal expert", "news"),
        ("Russia detains ex-CIA analyst on spying charges", "news"),
        ("Iran executes British-Iranian analyst", "news"),
        # The police's or a court's timeline of a case is a report of it.
        ("Police release timeline of missing mother's last movements", "news"),
        ("Gaza truce: timeline for hostage release agreed", "news"),
        # The explainer's forms still read as explainers.
        ("Military says troops probing defences - military expert", "analysis"),
        ("A timeline of the submersible's final voyage", "analysis"),
        ("Premier's life in politics, timeline, controversies", "analysis"),
    ],
)  # fmt: skip
def test_explainer_forms_do_not_take_a_report_s_hyphen_or_timeline(title: str, genre: str) -> None:
    assert_genre(title, genre)


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        # "Topic: the X who did Y" with a main verb after is a report of X, not a profile.
        ("Nottingham attacks: the man who killed three people is sentenced", "news"),
        ("Murder case: the teenagers who killed her are named", "news"),
        ("Dance class attack: the boy who attacked pupils appears in court", "news"),
        ("Bombing: the men who did this will face justice, PM says", "news"),
        # A topic's label before telegraphic sentences is a report's form.
        ("Storm Babet: Two people killed. Hundreds evacuated. Red warning issued", "news"),
        # A profile after a name, and a feature's opening, stay features.
        ("Coup leader: The ex-peacekeeper who seized power", "feature"),
        ("Bake Off: the beloved presenter who is joining the show", "feature"),
        ("Shot at while they drowned. Executed in the desert. Survivors speak", "feature"),
    ],
)  # fmt: skip
def test_a_report_after_a_topic_label_is_no_profile_or_feature_opening(
    title: str, genre: str
) -> None:
    assert_genre(title, genre)


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        # A craze is the mood around the news, not a report of it.
        ("Matildas mania grips Australia as women's team captures hearts of World Cup host",
         "soft"),
        ("Funeral home in El Salvador takes Barbie mania to an extreme", "soft"),
        # A country or a state whose name ends in "mania" is news.
        ("Romania and Bulgaria join the Schengen area by air and sea", "news"),
        ("Bushfire forces hundreds to flee homes in Tasmania's north", "news"),
    ],
)  # fmt: skip
def test_a_craze_is_no_report(title: str, genre: str) -> None:
    assert_genre(title, genre)


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        # A method or a past read into a deed is a reading of the news.
        ("Putin Follows the Stalin Playbook With Nightmarish Punishment Battalions", "analysis"),
        ("'They're just meat': Russia deploys punishment battalions in echo of Stalin",
         "analysis"),
        # A guide to what might come, under the topic's label, is an explainer.
        ("Abortion pill alternative: The drug that could be used if Texas ban on"
         " mifepristone upheld", "analysis"),
        ("Missing Titanic submersible: The factors that could affect crew's oxygen supply",
         "analysis"),
        # A report after a label, with no "could", is news; so is a deed with no past.
        ("Storm Babet: the town that was cut off for two days by floods", "news"),
        ("Police hunt the man who could have seen the attack", "news"),
        ("Russia deploys punishment battalions along the front line", "news"),
    ],
)  # fmt: skip
def test_a_method_read_into_a_deed_or_a_guide_to_what_might_come_is_analysis(
    title: str, genre: str
) -> None:
    assert_genre(title, genre)
