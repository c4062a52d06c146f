import datetime as dt, hashlib, json, re

PUBLISHERS = {
    "midday": "Mid-day",
    "globalwire": "Global Wire",
    "newsdesk": "The Newsdesk",
    "worldservice": "World Service Online",
    "citypost": "City Post",
    "dailybulletin": "Daily Bulletin",
    "metrowire": "Metro Wire",
}
MON = "jan feb mar apr may jun jul aug sep oct nov dec".split()

MIDDAY = {
    "world-news": "/news/world-news",
    "india-news": "/news/india-news",
    "mumbai-news": "/mumbai/mumbai-news",
    "cricket-news": "/sports/cricket-news",
    "football-news": "/sports/football-news",
    "business": "/business/news",
    "bollywood": "/entertainment/bollywood-news",
}


def num(key, n):
    return int(hashlib.sha1(key.encode()).hexdigest(), 16) % (10**n)


def slugify(title, words=9):
    s = title.lower().replace("'", "").replace("\u2019", "")
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return "-".join(s.split("-")[:words])


def make_url(src, kind, title, pub, key):
    d = dt.datetime.fromisoformat(pub)
    slug = slugify(title)
    if src == "midday":
        return f"https://www.midday.example{MIDDAY[kind]}/article/{slug}-{23100000 + num(key, 6)}"
    if src == "globalwire":
        return f"https://globalwire.example/{kind}/{d.year}/{MON[d.month - 1]}/{d.day:02d}/{slug}"
    if src == "newsdesk":
        return f"https://newsdesk.example/{kind}/{slug}-{1000000 + num(key, 6)}"
    if src == "worldservice":
        # kind like "world-africa", "world-asia-india", "business", "uk", "sport/cricket"
        if kind.startswith("sport/"):
            return f"https://worldservice.example/{kind}/{50000000 + num(key, 7)}"
        return f"https://worldservice.example/news/{kind}-{50000000 + num(key, 7)}"
    if src == "citypost":
        alphabet = "0123456789abcdefghijklmnopqrstuvwxyz"
        n, out = num(key, 12), ""
        while n:
            n, r = divmod(n, 36)
            out = alphabet[r] + out
        return f"https://citypost.example/p/{out[:7]}"
    if src == "dailybulletin":
        return f"https://dailybulletin.example/?p={100000 + num(key, 6)}"
    if src == "metrowire":
        return f"https://metrowire.example/{d.year}/{d.month:02d}/{d.day:02d}/{hashlib.sha1(key.encode()).hexdigest()[:10]}"
    raise ValueError(src)


def img(src, name, alt, caption):
    host = {
        "midday": "images.midday.example/images/images",
        "globalwire": "i.globalwire.example/img/media",
        "newsdesk": "static.newsdesk.example/photos",
        "worldservice": "ichef.worldservice.example/news/976",
        "citypost": "cdn.citypost.example/i",
        "dailybulletin": "dailybulletin.example/wp-content/uploads",
        "metrowire": "media.metrowire.example/pics",
    }[src]
    return {"url": f"https://{host}/{name}.jpg", "alt": alt, "caption": caption}


class Day:
    def __init__(self, prefix, date, as_of, home="IN"):
        self.prefix, self.date, self.as_of, self.home = prefix, date, as_of, home
        self.items = {}

    def add(
        self,
        key,
        src,
        kind,
        section,
        title,
        summary,
        body,
        pub,
        *,
        upd=None,
        dateline=None,
        agency=None,
        tags=(),
        image=None,
        world,
        story=None,
        event=None,
        window="in",
        note=None,
        url=None,
    ):
        assert key not in self.items, key
        if isinstance(body, (list, tuple)):
            body = "\n\n".join(body)
        art = {
            "url": url or make_url(src, kind, title, pub, self.prefix + key),
            "title": title,
            "summary": summary,
            "body": body,
            "section": section,
            "tags": list(tags),
            "published_at": pub,
            "updated_at": upd,
            "dateline": dateline,
            "agency": agency,
            "source": src,
            "image": image,
            "language": "en",
            "publisher": PUBLISHERS[src],
        }
        lab = {
            "world": world,
            "story": (f"{self.prefix}-{story}" if story else None),
            "window": window,
        }
        if event:
            lab["event"] = f"{self.prefix}-{event}"
        if note:
            lab["note"] = note
        self.items[key] = (art, lab)

    def copy(self, key, of, src, kind, section, title, pub, **kw):
        """A near-identical re-publication of wire copy: same summary and body, new headline."""
        art, lab = self.items[of]
        args = dict(
            dateline=art["dateline"],
            agency=art["agency"],
            tags=art["tags"],
            image=None,
            world=lab["world"],
            story=lab["story"] and lab["story"][len(self.prefix) + 1 :],
            event=lab.get("event") and lab["event"][len(self.prefix) + 1 :],
            note=f"near-identical wire copy of {of}",
        )
        args.update(kw)
        self.add(key, src, kind, section, title, art["summary"], art["body"], pub, **args)
        self.items[key][1]["copy_of"] = of

    def build(self):
        as_of = dt.datetime.fromisoformat(self.as_of)
        start = as_of - dt.timedelta(hours=24)

        def utc(s):
            return dt.datetime.fromisoformat(s)

        order = sorted(self.items, key=lambda k: (utc(self.items[k][0]["published_at"]), k))
        ids = {k: f"{self.prefix}-{i + 1:03d}" for i, k in enumerate(order)}
        articles, labels = [], {}
        for k in order:
            art, lab = self.items[k]
            pub = utc(art["published_at"])
            last = max(pub, utc(art["updated_at"])) if art["updated_at"] else pub
            if art["updated_at"]:
                assert utc(art["updated_at"]) >= pub, k
            computed = "future" if pub > as_of else ("stale" if last < start else "in")
            assert computed == lab["window"], (k, computed, lab["window"])
            a = {"id": ids[k]}
            a.update(art)
            articles.append(a)
            lab = dict(lab)
            if "copy_of" in lab:
                lab["copy_of"] = ids[lab["copy_of"]]
                lab["note"] = (
                    f"near-identical wire copy of {lab['copy_of']} (same summary and body, new headline)"
                )
            if "note" in lab:
                lab["note"] = re.sub(r"<<(\w+)>>", lambda m: ids[m.group(1)], lab["note"])
            labels[ids[k]] = lab
        return {
            "as_of": self.as_of,
            "home_country": self.home,
            "articles": articles,
            "labels": labels,
        }, ids

    def write(self, path):
        data, ids = self.build()
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=2)
            f.write("\n")
        return data, ids
