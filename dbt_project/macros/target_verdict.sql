{#-
    Target arithmetic of mart_target_tracking, kept here so the rules read in one place
    (and the unit tests in models/marts/_mart_target_tracking_unit_tests.yml pin them).

    target_direction(qualifier, direction)
        Which way the target asks the value to go: "trên", "vượt", "từ X trở lên"
        (gt, gte) ask for at least the bound, "dưới", "tối đa" (lt, lte) for at most the
        bound, whatever the indicator; a range, "khoảng" (approx) or a plain value (eq)
        follows the direction of the indicator and measure (int_observations__joined).

    target_threshold(qualifier, value, value_low, value_high, target_direction)
        The bound the verdict compares with: the lower bound for gt / gte, the upper
        bound for lt / lte; for a range the bound on the side of the target direction
        (a higher-is-better 8 - 9% is reached at 8, a lower-is-better 12 - 13% share at
        13); the value itself otherwise.

    target_reached(value, qualifier, threshold, target_direction)
        Whether `value` satisfies the target: gt / lt strictly, everything else
        inclusively, in the target direction. NULL when either number is missing.

    counted_noun(mention, unit)
        For counts of things (industrial zones, enterprises, projects, ...): what the
        mention counts, i.e. the words after the number ("07 khu công nghiệp" ->
        "khu công nghiệp", "12 khu và cụm công nghiệp" -> "khu và cụm công nghiệp").
        NULL for other units and for a bare number.

    same_counted_thing(a, b)
        Two counted nouns name the same thing: equal, or one is the other cut short at a
        word boundary ("24 cụm công" / "10 cụm công nghiệp"); NULL counts as unknown and
        does not prevent a comparison.
-#}

{% macro target_direction(qualifier, direction) -%}
    case
        when {{ qualifier }} in ('gt', 'gte') then 'higher_is_better'
        when {{ qualifier }} in ('lt', 'lte') then 'lower_is_better'
        else coalesce({{ direction }}, 'higher_is_better')
    end
{%- endmacro %}

{% macro target_threshold(qualifier, value, value_low, value_high, target_direction) -%}
    case
        when {{ qualifier }} in ('gt', 'gte') then coalesce({{ value_low }}, {{ value }})
        when {{ qualifier }} in ('lt', 'lte') then coalesce({{ value_high }}, {{ value }})
        when {{ qualifier }} = 'range' and {{ target_direction }} = 'lower_is_better'
            then coalesce({{ value_high }}, {{ value }})
        when {{ qualifier }} = 'range' then coalesce({{ value_low }}, {{ value }})
        else {{ value }}
    end
{%- endmacro %}

{% macro target_reached(value, qualifier, threshold, target_direction) -%}
    case
        when {{ value }} is null or {{ threshold }} is null then null
        when {{ qualifier }} = 'gt' then {{ value }} > {{ threshold }}
        when {{ qualifier }} = 'lt' then {{ value }} < {{ threshold }}
        when {{ target_direction }} = 'lower_is_better' then {{ value }} <= {{ threshold }}
        else {{ value }} >= {{ threshold }}
    end
{%- endmacro %}

{#- Units that count distinct things, where the counted noun tells what is counted. -#}
{% macro count_units() -%}
    ('ZONE', 'ENTERPRISE', 'COOPERATIVE', 'PROJECT', 'PRODUCT', 'COMMUNE', 'SCHOOL',
     'DWELLING', 'TARGET', 'ACCIDENT', 'CASE')
{%- endmacro %}

{% macro counted_noun(mention, unit) -%}
    case
        when {{ unit }} in {{ count_units() }} then nullif(trim(regexp_replace(regexp_replace(
            lower({{ mention }}),
            -- leading text up to and including the number (or range "3 - 4")
            '^[^0-9]*[0-9][0-9.,]*(\s*[-–]\s*[0-9][0-9.,]*)?', ''),
            '[\s[:punct:]]+', ' ', 'g')), '')
    end
{%- endmacro %}

{% macro same_counted_thing(a, b) -%}
    coalesce(
        {{ a }} = {{ b }}
        or starts_with({{ a }}, {{ b }} || ' ')
        or starts_with({{ b }}, {{ a }} || ' '),
        true
    )
{%- endmacro %}
