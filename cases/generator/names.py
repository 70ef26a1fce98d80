"""Invented names and places for generated data. No real person is described.

Town and county names are ordinary words and surnames, not a real state's map; people's
names are common given names and surnames combined at random.
"""

FIRST_NAMES = (
    "Alex Amara Amy Ana Andrea Angel Anna Ashley Aylin Beatriz Bianca Brenda Brianna Carla Carmen "
    "Casey Chloe Claire Daisy Dana Destiny Diana Elena Elif Emily Emma Erica Esther Eva Fatima "
    "Gabriela Grace Hana Hannah Imani Irina Isabel Jade Jasmine Jessica Jordan Julia Karen Kayla "
    "Keisha Lan Laura Leah Lena Lily Linh Lucia Luz Maya Mei Maria Marisol Megan Mia Mina Monica "
    "Nadia Naomi Nia Nina Olga Paola Priya Quinn Rachel Rosa Ruby Sara Selena Sofia Sun Tamara "
    "Tanya Tiana Valeria Vanessa Wendy Ximena Yara Yesenia Zoe Aaron Adam Ahmed Andre Ben Brandon "
    "Carlos Chris Daniel David Diego Eric Ethan Felix Frank Gabriel George Hector Ivan Jack Jamal "
    "James Jason Javier John Jose Juan Kevin Luis Marcus Mark Mateo Michael Miguel Nathan Omar "
    "Oscar Paul Pedro Rafael Ray Ricardo Robert Ryan Samuel Sean Sergio Steven Thomas Tyler Victor William"
).split()

LAST_NAMES = (
    "Abbott Acosta Adler Alvarez Archer Arnold Baker Banks Barrera Bell Bishop Blake Bowen Boyd Brooks "
    "Bryant Burke Bush Caldwell Campos Carr Carson Castro Chan Chavez Cho Clarke Cole Collins Cruz "
    "Dalton Daniels Davila Dawson Delgado Diaz Dixon Doyle Duarte Dunn Ellis Espinoza Estrada Farmer "
    "Fischer Fleming Flores Ford Foster Fuentes Garza Gibson Gomez Graham Grant Greene Guerrero Hale "
    "Hansen Harper Hayes Herrera Hines Holland Howell Hunt Ibarra Jacobs Jensen Joseph Kane Keller "
    "Khan Kim Klein Knox Lambert Lara Larson Lee Leon Lin Lowe Lucero Lynch Macias Mann Marsh Medina "
    "Mejia Mendez Meyer Molina Moreno Moss Nash Navarro Nguyen Novak Nunez Ochoa Olson Ortega Osei "
    "Pacheco Park Parks Patel Pena Perry Pham Pierce Quinn Ramos Reyes Rios Rivas Romero Rowe Salas "
    "Sandoval Santos Schmidt Serrano Shaw Silva Snow Soto Stone Suarez Tran Tucker Vargas Vaughn Vega "
    "Wade Walsh Ward Watts Webb Wolfe Wong Yang Young Zamora Zhang"
).split()

TOWNS = (
    "Ashford Bayview Bellmont Birchwood Bramble Briarton Brookvale Cedar Hill Clearwater Coldspring "
    "Cottonwood Crestview Deerfield Eastgate Elmhurst Fairhaven Fallbrook Fernwood Foxhollow Glenrock "
    "Granite Falls Greenfield Harborview Hawthorne Hickory Holloway Ironbridge Juniper Kingsford "
    "Lakeshore Larkspur Maple Grove Meadowbrook Millbrook Northvale Oakridge Orchard Park Pinecrest "
    "Prairie View Quarry Ridge Redfield Ridgecrest Riverside Rockport Rosedale Sandstone Shady Grove "
    "Silverton Springdale Stonebridge Summit Sunnyvale Thornbury Timberline Twin Oaks Valley Forge "
    "Westbrook Willowdale Windmere Woodhaven"
).split()

COUNTIES = (
    "Adair Alder Benton Birch Boone Calloway Carver Cedar Clay Crane Dale Dent Elk Essex Franklin "
    "Gentry Grundy Harlan Hickory Holt Howard Iron Jasper Knox Laclede Lane Linn Macon Marion Mercer "
    "Miller Monroe Morgan Newton Oregon Osage Pike Polk Pulaski Putnam Ralls Ripley Saline Scott "
    "Shelby Stone Sullivan Taney Texas Vernon Warren Wayne Webster Worth Wright"
).split()

STATE = "MO"

VENUES = {
    "truck_stop": ("Travel Plaza", "Truck Stop", "Fuel Center"),
    "hotel": ("Motor Inn", "Budget Suites", "Extended Stay", "Roadside Motel"),
    "massage": ("Day Spa", "Massage Studio", "Foot Spa", "Wellness Center"),
    "residence": ("Apartments", "Rental House", "Trailer Park"),
    "restaurant": ("Buffet", "Diner", "Noodle House", "Grill"),
    "farm": ("Orchard", "Dairy Farm", "Nursery", "Produce Farm"),
    "construction": ("Building Site", "Road Works", "Housing Development"),
    "street": ("Avenue corridor", "Industrial strip", "Main Street"),
    "online": ("Classified ads site", "Social media", "Dating app"),
    "other": ("Nail Salon", "Warehouse", "Car Wash", "Bar"),
}

OPERATION_WORDS = (
    "Amber Anchor Beacon Blue Bridge Candle Cardinal Compass Cross Dawn Eagle Ember Falcon Guardian "
    "Harbor Haven Heartland Horizon Iron Lantern Liberty Lighthouse Meridian North Star Open Door "
    "Prairie Rescue Ridge River Safe Passage Sentinel Shelter Shield Silver Spring Summit Sunrise "
    "Thunder Torch Valley Vigil Watchtower Whistle"
).split()

LANGUAGES = (
    ("English", 70),
    ("Spanish", 18),
    ("Mandarin", 2),
    ("Vietnamese", 2),
    ("Korean", 1),
    ("Russian", 1),
    ("Tagalog", 1),
    ("Haitian Creole", 1),
    ("Arabic", 1),
    ("Thai", 1),
    ("K'iche'", 2),
)

STATUTES = (
    ("State Code 566.209", "Trafficking for the purposes of sexual exploitation", "felony", True),
    ("State Code 566.206", "Trafficking for the purposes of slavery or forced labor", "felony", True),
    ("State Code 566.211", "Sexual trafficking of a child", "felony", True),
    ("18 U.S.C. 1591", "Sex trafficking of children or by force, fraud or coercion", "federal", True),
    ("State Code 567.030", "Patronizing prostitution", "misdemeanor", False),
    ("State Code 567.060", "Promoting prostitution", "felony", False),
    ("State Code 579.015", "Possession of a controlled substance", "felony", False),
    ("State Code 571.030", "Unlawful use of a weapon", "felony", False),
    ("State Code 575.150", "Resisting arrest", "misdemeanor", False),
    ("Municipal Code 12-4", "Loitering for prostitution", "infraction", False),
)
