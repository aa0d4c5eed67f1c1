"""Site chrome of German, French, Spanish, Portuguese and Italian news pages: whole blocks that
are never read ("Lesen Sie auch", "Mehr zum Thema", "Anzeige", "Lire aussi", "Publicité",
"Lea también", "Leia também", "Publicidade", "Leggi anche", share and comment prompts,
newsletter and subscription prompts, cookie notices, photo credits, agency tags).

:func:`newsaudio.text.clean.is_boilerplate` adds the patterns of an article's language to the
English ones; they are anchored the same way (case-insensitive, the whole block must match
one, and a block longer than 300 characters is article text).
"""

from __future__ import annotations

import re

_B = r"[\s\W_]*"

BOILERPLATE_SOURCES: dict[str, list[str]] = {
    "de": [
        r"(lesen sie (auch|mehr|weiter|hier)|weiterlesen|mehr (zum thema|dazu|lesen|erfahren)"
        r"|das könnte sie auch interessieren)(:? .{0,200})?",
        r"(auch interessant|empfehlungen|meistgelesen|zum thema|passend zum thema"
        r"|verwandte (artikel|themen))(: .{0,200})?",
        r"(anzeige|werbung|gesponsert|sponsored|advertorial|\*?affiliate-link\*?)",
        r"(artikel )?(teilen|drucken|merken|versenden|vorlesen|kommentieren)( auf \w+)?",
        r"(\d+ )?kommentare?( anzeigen| lesen)?|(beiträge|kommentare|diskussion) (aus dem forum|zum (artikel|thema))",
        r"(newsletter (abonnieren|bestellen)|jetzt (abonnieren|anmelden|registrieren|weiterlesen)"
        r"|zum newsletter anmelden|melden sie sich (jetzt )?für unseren newsletter an).{0,120}",
        r"(wir|diese (web)?seite) (verwendet|verwenden|nutzt|nutzen) cookies.{0,250}",
        r"(alle )?(cookies )?(akzeptieren|ablehnen|zustimmen)|cookie-einstellungen|datenschutz(erklärung|einstellungen)?",
        r"(foto|bild|bildquelle|grafik|video)( ?: ?| ?/ ?)[^.!?]{1,100}",
        r"(dieser artikel|der artikel) (ist|erschien) (zuerst|ursprünglich) .{0,150}",
        r"(zur startseite|nach oben|zurück( zur übersicht)?|inhaltsverzeichnis|impressum)",
        r"(quelle|mit material von) ?: ?[\w ,./&-]{1,80}",
        r"\(?(dpa|afp|reuters|kna|epd|ap|sid)(/[a-z]{1,5})*\)?",
        r"mehr (nachrichten|news) (aus|zu|über) .{1,60}",
        r"(sie haben )?(bereits|schon) ein(en)? (abo|konto|account)\??.{0,80}",
        r"(f|p)?(plus|z\+|s\+|abo)[- ]?(artikel|inhalt)",
    ],
    "fr": [
        r"((à )?lire aussi|lire (la suite|plus)|(à )?découvrir aussi)(:? .{0,200})?",
        r"(voir aussi|sur le même sujet|les plus lus|nos articles (sur|à lire)|en savoir plus"
        r"|pour aller plus loin)(: .{0,200})?",
        r"(publicité|annonce|sponsorisé|contenu sponsorisé|article sponsorisé|partenariat)",
        r"(partager|imprimer|envoyer|commenter|réagir)( (sur|par) \w+)?( cet article)?",
        r"(\d+ )?(commentaires?|réactions?)",
        r"(inscrivez-vous|abonnez-vous|s'inscrire|s'abonner|recevez).{0,80}(newsletter|lettre d'information|infolettre|alertes?).{0,120}",
        r"(abonnez-vous|s'abonner|déjà abonné\s?\??|vous êtes abonné\s?\??|connectez-vous|se connecter).{0,80}",
        r"cet article est réservé aux abonnés.{0,120}",
        r"(nous|ce site) (utilisons|utilise) des cookies.{0,250}",
        r"(tout )?(accepter|refuser|continuer sans accepter|paramétrer)( les cookies)?|gérer (mes|les) (cookies|choix|préférences)",
        r"(photo|crédit photo|crédits|illustration|vidéo) ?: ?.{1,100}",
        r"\(?(afp|reuters|ap)\)?",
        r"(retour (en haut|à l'accueil)|haut de page|sommaire)",
        r"(mis à jour|publié) le [0-9].{0,60}",
    ],
    "es": [
        r"(lea también|lee también|leer más|también te puede interesar|sigue leyendo)(:? .{0,200})?",
        r"(ver más|más información|te puede interesar|lo más leído|noticias relacionadas"
        r"|relacionado)(: .{0,200})?",
        r"(publicidad|anuncio|contenido patrocinado|patrocinado)",
        r"(compartir|imprimir|enviar|comentar)( en \w+)?( (esta noticia|este artículo))?",
        r"(\d+ )?comentarios?",
        r"(suscríbete|suscribirse|apúntate|regístrate|recibe).{0,80}(newsletter|boletín|boletines).{0,120}",
        r"(suscríbete|hazte suscriptor|¿ya eres suscriptor\??|inicia sesión|iniciar sesión).{0,80}",
        r"(utilizamos|usamos|este sitio (web )?utiliza) cookies.{0,250}",
        r"(aceptar|rechazar|configurar)( todas)?( las)? cookies|política de cookies",
        r"(foto|fotografía|imagen|vídeo) ?: ?.{1,100}",
        r"\(?(efe|europa press|afp|reuters|ap)\)?",
        r"(actualizado|publicado)( el)? [0-9].{0,60}",
        r"sigue (a|al) .{1,60} en (twitter|x|facebook|instagram).{0,80}",
    ],
    "pt": [
        r"(leia (também|mais)|continue lendo|continuar a ler)(:? .{0,200})?",
        r"(saiba mais|veja (também|mais)|mais lidas|notícias relacionadas|relacionadas)(: .{0,200})?",
        r"(publicidade|anúncio|conteúdo patrocinado|patrocinado|continua depois da publicidade|continua após a publicidade)",
        r"(compartilhar|partilhar|imprimir|enviar|comentar)( no \w+)?( (esta notícia|este artigo|esta reportagem))?",
        r"(\d+ )?comentários?",
        r"(assine|inscreva-se|cadastre-se|subscreva|receba).{0,80}(newsletter|boletim|boletins).{0,120}",
        r"(assine (já|agora|o|a)\b|já é assinante\s?\??|faça login|iniciar sessão).{0,80}",
        r"(este (site|sítio) (usa|utiliza)|nós usamos|utilizamos) cookies.{0,250}",
        r"(aceitar|rejeitar|recusar|gerir|gerenciar)( todos)?( os)? cookies|política de (cookies|privacidade)",
        r"(foto|imagem|vídeo|reprodução) ?: ?.{1,100}",
        r"\(?(lusa|agência brasil|folhapress|estadão conteúdo|reuters|afp|ap)\)?",
    ],
    "it": [
        r"(leggi anche|leggi di più|continua a leggere)(:? .{0,200})?",
        r"(approfondisci|potrebbe interessarti|i più letti|articoli correlati|correlati"
        r"|vedi anche)(: .{0,200})?",
        r"(pubblicità|annuncio|contenuto sponsorizzato|sponsorizzato|in collaborazione con .{1,60})",
        r"(condividi|stampa|invia|commenta)( su \w+)?( (questo articolo|la notizia))?",
        r"(\d+ )?commenti",
        r"(iscriviti|registrati|abbonati|ricevi).{0,80}(newsletter).{0,120}",
        r"(abbonati (ora|subito|a)\b|sei già abbonato\s?\??|accedi|effettua il login).{0,80}",
        r"(questo sito|utilizziamo|usiamo) (utilizza |usa )?(i )?cookie.{0,250}",
        r"(accetta|rifiuta|gestisci)( tutti)?( i)? cookie|informativa (sui )?cookie|cookie policy",
        r"(foto|immagine|video) ?: ?.{1,100}",
        r"\(?(ansa|agi|adnkronos|lapresse|reuters|afp|ap)\)?",
        r"riproduzione riservata\.?( ©.{0,80})?|© riproduzione riservata",
    ],
}
"""Whole-block patterns per language (primary subtag)."""

BOILERPLATE: dict[str, list[re.Pattern[str]]] = {
    lang: [re.compile(rf"{_B}(?:{src}){_B}", re.IGNORECASE) for src in sources]
    for lang, sources in BOILERPLATE_SOURCES.items()
}


def patterns_for(language: str) -> list[re.Pattern[str]]:
    """The compiled patterns of ``language`` (a BCP 47 tag; primary subtag compared), or []."""
    primary = language.strip().replace("_", "-").lower().partition("-")[0]
    return BOILERPLATE.get(primary, [])
