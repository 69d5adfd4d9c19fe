"""Steps shared by the browser tests: what an NGO types to make a draft complete."""


def fill_complete_draft(page, *, justification: str = "All residents are women and girls."):
    """Every field a submission needs, except the title and the attachments."""
    page.fill("#id_summary", "Shelter, legal aid and reintegration for trafficked women.")
    page.fill("#id_requested_usd", "45000.00")
    page.fill("#id_duration_months", "18")
    page.fill("#id_start_date", "2027-03-01")
    page.select_option("#id_countries", ["NG"])
    page.fill("#id_beneficiaries_women", "60")
    page.fill("#id_beneficiaries_girls", "30")
    page.check("input[name=services][value=shelter]")
    page.check("input[name=services][value=legal]")
    page.check("#id_priority-women-girls")
    page.fill("#id_justification-women-girls", justification)
    page.select_option("#id_lines-0-category", "direct_assistance")
    page.fill("#id_lines-0-description", "Shelter running costs")
    page.fill("#id_lines-0-amount", "45000.00")
